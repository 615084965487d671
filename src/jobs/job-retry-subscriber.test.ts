import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { writeOutbox } from '../domain/events/write-outbox.js';
import { createInProcessQueue } from './in-process-queue.js';
import { jobRetrySubscriber } from './job-retry-subscriber.js';
import { createOutboxDispatcher } from './outbox-dispatcher.js';
import { JOB_RETRY_TOPIC } from './retry-failed-job.js';

describeEachDb('job retry subscriber', (ctx) => {
  it('with the in-process queue runs the retried job inside the outbox event, which retries if the job throws', async () => {
    const queueName = `retry-test-${ctx.backend}`;
    const ran: unknown[] = [];
    let failures = 1;
    const queue = createInProcessQueue();
    queue.register(queueName, async (payload) => {
      // Work that takes a moment, as a real job does: an enqueue alone would return before it ran.
      await new Promise((r) => setTimeout(r, 30));
      if (failures-- > 0) throw new Error('carrier timed out');
      ran.push(payload);
    });
    await queue.start();
    const dispatcher = createOutboxDispatcher(ctx.db, { subscribers: [jobRetrySubscriber(queue)], backoffMs: 20 });
    await ctx.db.transaction((tx) => writeOutbox(tx, JOB_RETRY_TOPIC, { failedJobId: 7, queue: queueName, jobId: 'j1', payload: { n: 1 } }));
    const { id } = (await ctx.db.query<{ id: number }>('SELECT max(id)::int AS id FROM outbox')).rows[0]!;
    const row = async () =>
      (await ctx.db.query<{ done_at: Date | null; last_error: string | null }>('SELECT done_at, last_error FROM outbox WHERE id = $1', [id])).rows[0]!;

    await dispatcher.runDue();
    expect(await row()).toMatchObject({ done_at: null, last_error: 'jobs.retry: carrier timed out' });
    await new Promise((r) => setTimeout(r, 30));
    await dispatcher.runDue();
    expect(ran).toEqual([{ n: 1 }]);
    expect((await row()).done_at).not.toBeNull();
    await queue.drain();
    await queue.close();
  });
});
