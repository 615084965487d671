import { truncate } from './truncate.js';

/** A JSON-ish value shortened for a field. */
export function shortValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return truncate(JSON.stringify(v), 200);
}
