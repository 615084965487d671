import type { Db } from '../../src/db/db.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { relayOutbox } from '../../src/jobs/outbox-relay.js';

const unrelayed = async (db: Db) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL')).rows[0]!.n;

/**
 * Waits until everything the committed changes set off has run: relays the outbox (beside the
 * app's own relay, whose interval it does not wait for), drains the queue, and repeats while the
 * jobs wrote new events. No clock: it ends when the outbox is relayed and the queue idle.
 * The relay enqueues before it marks rows relayed, so once none is unrelayed a drain sees every job.
 */
export async function settleOutbox(app: { db: Db; queue: JobQueue }, maxRounds = 1000): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    await relayOutbox(app.db, app.queue);
    await app.queue.drain();
    if ((await unrelayed(app.db)) > 0) continue;
    await app.queue.drain();
    if ((await unrelayed(app.db)) === 0) return;
  }
  throw new Error(`the outbox did not settle in ${maxRounds} rounds: a job keeps writing events`);
}
