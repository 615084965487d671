import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { writeOutbox } from '../domain/events/write-outbox.js';
import { listFailedJobs } from './list-failed-jobs.js';
import { createOutboxDispatcher, OUTBOX_QUEUE, type OutboxDispatcherOptions } from './outbox-dispatcher.js';
import type { OutboxEvent } from './outbox-subscriber.js';
import { retryFailedJob } from './retry-failed-job.js';

const staff = { kind: 'person' as const, id: 'ops@example.com' };

const outboxRow = async (db: Parameters<typeof writeOutbox>[0], id: number) =>
  (await db.query<{ attempts: number; done_at: Date | null; dead_at: Date | null; last_error: string | null }>(
    'SELECT attempts, done_at, dead_at, last_error FROM outbox WHERE id = $1',
    [id],
  )).rows[0]!;

const lastOutboxId = async (db: Parameters<typeof writeOutbox>[0]) =>
  (await db.query<{ id: number }>('SELECT max(id)::int AS id FROM outbox')).rows[0]!.id;

describeEachDb('outbox dispatcher', (ctx) => {
  /** A dispatcher with one handler of `topic` that notes the ids it saw. */
  const recording = (topic: string, options: Omit<OutboxDispatcherOptions, 'subscribers'>) => {
    const seen: number[] = [];
    const dispatcher = createOutboxDispatcher(ctx.db, { ...options, subscribers: [{ topic, name: 'h', handle: async (e) => void seen.push(e.id) }] });
    return { seen, dispatcher };
  };

  it('hands each committed event once to every handler of its topic, and none of a rolled-back one', async () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const tag = `t1-${ctx.backend}`;
    const dispatcher = createOutboxDispatcher(ctx.db, {
      subscribers: [
        { topic: `${tag}.created`, name: 'a', handle: async (e) => void a.push(e.payload) },
        { topic: `${tag}.created`, name: 'b', handle: async (e) => void b.push(e.payload) },
      ],
    });
    await ctx.db.transaction(async (tx) => {
      await writeOutbox(tx, `${tag}.created`, { n: 1 });
      await writeOutbox(tx, `${tag}.other`, { n: 2 });
    });
    await expect(
      ctx.db.transaction(async (tx) => {
        await writeOutbox(tx, `${tag}.created`, { n: 3 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    while ((await dispatcher.runDue()) > 0);
    expect(a).toEqual([{ n: 1 }]);
    expect(b).toEqual([{ n: 1 }]);
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE topic LIKE $1 AND done_at IS NULL`,
      [`${tag}.%`],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('retries only the handler that failed, with backoff, then dead-letters the event; a retry runs it once', async () => {
    const tag = `t2-${ctx.backend}`;
    let healthyRuns = 0;
    let brokenRuns = 0;
    let broken = true;
    const dispatcher = createOutboxDispatcher(ctx.db, {
      subscribers: [
        { topic: tag, name: 'healthy', handle: async () => void healthyRuns++ },
        {
          topic: tag,
          name: 'broken',
          handle: async () => {
            brokenRuns++;
            if (broken) throw new Error('downstream is down');
          },
        },
      ],
      maxAttempts: 3,
      backoffMs: 200,
    });
    await ctx.db.transaction((tx) => writeOutbox(tx, tag, { n: 1 }));
    const id = await lastOutboxId(ctx.db);

    expect(await dispatcher.runDue()).toBe(1);
    // Not due again until its backoff has passed.
    expect(await dispatcher.runDue()).toBe(0);
    expect((await outboxRow(ctx.db, id)).last_error).toBe('broken: downstream is down');
    const started = Date.now();
    while ((await outboxRow(ctx.db, id)).dead_at === null) {
      await dispatcher.runDue();
      await new Promise((r) => setTimeout(r, 20));
    }
    // Backoff 200 ms, then 400 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(healthyRuns).toBe(1);
    expect(brokenRuns).toBe(3);

    const { items } = await listFailedJobs(ctx.db, { queue: OUTBOX_QUEUE });
    const letter = items.find((j) => j.jobId === `outbox-${id}`)!;
    expect(letter).toMatchObject({ attempts: 3, error: 'broken: downstream is down', retriedAt: null });
    expect((letter.payload as OutboxEvent).topic).toBe(tag);

    broken = false;
    const retried = await retryFailedJob(ctx.db, letter.id, staff);
    expect(retried.retriedBy).toBe('person:ops@example.com');
    await expect(retryFailedJob(ctx.db, letter.id, staff)).rejects.toThrow(/already retried by person:ops@example.com/);
    while ((await dispatcher.runDue()) > 0);
    expect(brokenRuns).toBe(4);
    expect(healthyRuns).toBe(1);
    expect((await outboxRow(ctx.db, id)).done_at).not.toBeNull();
    expect((await listFailedJobs(ctx.db, { queue: OUTBOX_QUEUE })).items.some((j) => j.id === letter.id)).toBe(false);
  });

  it('stops at the first failing handler of an event: the ones after it wait for its retry, each runs once', async () => {
    const tag = `t6-${ctx.backend}`;
    const order: string[] = [];
    let failures = 1;
    const dispatcher = createOutboxDispatcher(ctx.db, {
      subscribers: [
        {
          topic: tag,
          name: 'first',
          handle: async () => {
            order.push('first');
            if (failures-- > 0) throw new Error('deadlock detected');
          },
        },
        { topic: tag, name: 'second', handle: async () => void order.push('second') },
      ],
      backoffMs: 50,
    });
    await ctx.db.transaction((tx) => writeOutbox(tx, tag, {}));
    const id = await lastOutboxId(ctx.db);

    expect(await dispatcher.runDue()).toBe(1);
    expect(order).toEqual(['first']);
    expect((await outboxRow(ctx.db, id)).last_error).toBe('first: deadlock detected');
    while ((await outboxRow(ctx.db, id)).done_at === null) {
      await dispatcher.runDue();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(order).toEqual(['first', 'first', 'second']);
    while ((await dispatcher.runDue()) > 0);
    expect(order).toEqual(['first', 'first', 'second']);
  });

  it('takes over an event whose worker died holding it, once the lease has run out', async () => {
    const tag = `t3-${ctx.backend}`;
    const { seen, dispatcher: survivor } = recording(tag, { leaseMs: 500 });
    await ctx.db.transaction((tx) => writeOutbox(tx, tag, {}));
    const id = await lastOutboxId(ctx.db);
    // Claimed the way a dispatcher claims, by a worker that then dies and renews nothing.
    await ctx.db.query(`UPDATE outbox SET locked_until = now() + interval '400 milliseconds', attempts = attempts + 1 WHERE id = $1`, [id]);
    expect(await survivor.runDue()).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await survivor.runDue()).toBe(1);
    expect(seen).toEqual([id]);
    expect(await outboxRow(ctx.db, id)).toMatchObject({ attempts: 2 });
    expect((await outboxRow(ctx.db, id)).done_at).not.toBeNull();
  });

  it('keeps the lease of a handler slower than the lease, so no other worker runs the event beside it', async () => {
    const tag = `t5-${ctx.backend}`;
    let runs = 0;
    const slow = { topic: tag, name: 'h', handle: async () => { runs++; await new Promise((r) => setTimeout(r, 900)); } };
    const busy = createOutboxDispatcher(ctx.db, { subscribers: [slow], leaseMs: 300 });
    const other = createOutboxDispatcher(ctx.db, { subscribers: [slow], leaseMs: 300 });
    await ctx.db.transaction((tx) => writeOutbox(tx, tag, {}));
    const running = busy.runDue();
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await other.runDue();
    }
    await running;
    expect(runs).toBe(1);
  });

  it('wakes on demand instead of waiting out its poll', async () => {
    const tag = `t4-${ctx.backend}`;
    const { seen, dispatcher } = recording(tag, { pollMs: 60_000 });
    await dispatcher.start();
    await new Promise((r) => setTimeout(r, 50));
    await ctx.db.transaction((tx) => writeOutbox(tx, tag, {}));
    dispatcher.wake();
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await dispatcher.stop();
    expect(seen).toHaveLength(1);
  });
});
