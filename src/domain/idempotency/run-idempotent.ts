import type { Db } from '../../db/db.js';
import { IdempotencyKeyReusedError } from './idempotency-key-reused-error.js';

export interface IdempotentResponse {
  statusCode: number;
  body: unknown;
}

export interface IdempotencyRequest {
  /** What the key is unique within, e.g. `POST /api/orders`. */
  scope: string;
  key: string;
  /** `requestHash(body)` of the request carrying the key. */
  hash: string;
}

/**
 * Runs `fn` at most once per (scope, key). The first successful response is stored in the same
 * transaction as the work `fn` does, so either both are written or neither; a retry with the
 * same key and body gets that response back (`replayed: true`) without running `fn`, and the
 * same key with another body is refused. Failures are not stored: they wrote nothing, so a
 * retry simply runs again.
 */
export async function runIdempotent(
  db: Db,
  request: IdempotencyRequest,
  fn: (tx: Db) => Promise<IdempotentResponse>,
): Promise<IdempotentResponse & { replayed: boolean }> {
  return db.transaction(async (tx) => {
    if (tx.kind === 'postgres') {
      // Two concurrent requests with one key queue here instead of both running `fn`.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`${request.scope}\n${request.key}`]);
    }
    const stored = await tx.query<{ request_hash: string; status_code: number; response: unknown }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [request.scope, request.key],
    );
    const hit = stored.rows[0];
    if (hit) {
      if (hit.request_hash !== request.hash) throw new IdempotencyKeyReusedError(request.key);
      return { statusCode: hit.status_code, body: hit.response, replayed: true };
    }
    const response = await fn(tx);
    if (response.statusCode < 300) {
      await tx.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5)`,
        [request.scope, request.key, request.hash, response.statusCode, JSON.stringify(response.body)],
      );
    }
    return { ...response, replayed: false };
  });
}
