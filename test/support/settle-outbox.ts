import type { Db } from '../../src/db/db.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import type { OutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';

const due = async (db: Db) =>
  (
    await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()',
    )
  ).rows[0]!.n;

/**
 * Waits until everything the committed changes set off has run: dispatches the outbox (beside the
 * app's own dispatcher, whose poll it does not wait for), drains the queue, and repeats while the
 * jobs wrote new events. No clock: it ends when no event is due and the queue is idle. An event
 * waiting out a retry backoff is not due, so a failing handler does not hold the test.
 */
export async function settleOutbox(app: { db: Db; queue: JobQueue; outbox: OutboxDispatcher | null }, maxRounds = 1000): Promise<void> {
  if (!app.outbox) throw new Error('this app runs no workers, so nothing here dispatches its outbox');
  for (let round = 0; round < maxRounds; round++) {
    const claimed = await app.outbox.runDue();
    await app.queue.drain();
    if ((await due(app.db)) > 0) {
      // Due but not claimable: the app's own dispatcher holds it right now.
      if (claimed === 0) await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    await app.queue.drain();
    if ((await due(app.db)) === 0) return;
  }
  throw new Error(`the outbox did not settle in ${maxRounds} rounds: a job keeps writing events`);
}
