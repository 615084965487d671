import type { Db } from '../db/db.js';
import type { JobQueue } from './job-queue.js';
import { QUEUES } from './queue-names.js';

export interface OutboxEvent<P = Record<string, unknown>> {
  id: number;
  topic: string;
  payload: P;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

/**
 * Moves committed outbox rows onto the job queue. The job id is the outbox id, so a relay that
 * crashes between enqueue and marking re-enqueues a duplicate the queue ignores.
 * Returns how many rows it relayed.
 */
export async function relayOutbox(db: Db, queue: JobQueue, batch = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const lock = tx.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const { rows } = await tx.query<{ id: number; topic: string; payload: Record<string, unknown> }>(
      `SELECT id, topic, payload FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 ${lock}`,
      [batch],
    );
    for (const row of rows) {
      await queue.enqueue(QUEUES.outboxEvent, row satisfies OutboxEvent, { jobId: `outbox-${row.id}` });
    }
    if (rows.length) {
      await tx.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    }
    return rows.length;
  });
}

/** Registers the outbox-event queue handler that hands each event to the handlers of its topic. */
export function registerOutboxHandlers(queue: JobQueue, handlers: Record<string, OutboxHandler[]>): void {
  queue.register<OutboxEvent>(QUEUES.outboxEvent, async (event) => {
    for (const handler of handlers[event.topic] ?? []) await handler(event);
  });
}

/** Polls the outbox until stopped; returns the stop function. */
export function startOutboxRelay(
  db: Db,
  queue: JobQueue,
  options: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 250;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(() => relayOutbox(db, queue)).catch((err: unknown) => options.onError?.(err));
  }, intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
