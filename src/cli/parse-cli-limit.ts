import { MAX_PAGE_LIMIT } from '../domain/paging/page.js';
import { CliError } from './cli-error.js';

/** `--limit`, checked as the API checks ?limit=. */
export function parseCliLimit(value: string | undefined): number {
  if (value === undefined) return 20;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_LIMIT) throw new CliError(`--limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got "${value}"`);
  return n;
}
