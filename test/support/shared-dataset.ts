import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared data drop beside the repository (`../shared/datasets`); its files are never copied in. */
export const SHARED_DATASETS_DIR = resolve(REPO_ROOT, '../shared/datasets');

/** A dataset that CI needs is not there. */
export class MissingDatasetError extends Error {
  constructor(what: string) {
    super(`${what} not found; with CI=true a missing dataset fails the run instead of skipping it (a skipped check passes without checking anything)`);
    this.name = 'MissingDatasetError';
  }
}

const isCi = (env: NodeJS.ProcessEnv) => /^(true|1)$/i.test((env.CI ?? '').trim());

/**
 * Whether the tests or evals that need a shared dataset can run. Present: true. Missing on a
 * developer machine: false, and the caller skips. Missing under CI=true: throws
 * MissingDatasetError, so the test file or eval run fails.
 */
export function sharedDatasetAvailable(what: string, present: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (present) return true;
  if (isCi(env)) throw new MissingDatasetError(what);
  return false;
}
