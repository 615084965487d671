import type { DatabaseAddress } from './database-address.js';

/** What the thread that owns the app asks of the PGlite worker thread. */
export type PgliteWorkerRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; listener: number }
  | { id: number; op: 'close' };

/** The worker's answers (by request id) and the notifications of a listen. */
export type PgliteWorkerMessage =
  | { kind: 'ready'; socket?: DatabaseAddress }
  | { kind: 'failed'; error: SerializedError }
  | { kind: 'result'; id: number; value?: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'notify'; listener: number; payload: string };

/** What the worker is started with (workerData). */
export interface PgliteWorkerOptions {
  dataDir?: string;
  /** Serve the database on a Unix socket in this directory for other orderops processes (servePgliteSocket). */
  shareIn?: string;
}

/** An error crossing the thread boundary: message and PostgreSQL's fields (code, detail, constraint ...). */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) fields[key] = value;
  }
  return { name: err.name, message: err.message, fields };
}

export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return Object.assign(err, e.fields);
}
