import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTwilioSmsSender } from '../../src/connectors/sms/twilio/twilio-sms-sender.js';
import { createCircuitBreakers } from '../../src/connectors/circuit-breakers.js';
import { guardSmsSender } from '../../src/connectors/sms/guard-sms-sender.js';
import { systemActor } from '../../src/domain/actor.js';
import { writeOutbox } from '../../src/domain/events/write-outbox.js';
import { listFailedJobs } from '../../src/jobs/list-failed-jobs.js';
import { createOutboxDispatcher } from '../../src/jobs/outbox-dispatcher.js';
import { retryFailedJob } from '../../src/jobs/retry-failed-job.js';
import { describeEachDb } from '../support/test-db.js';
import { TwilioWireServer } from '../support/twilio-wire-server.js';

const FROM = '+15550000000';
let twilio: TwilioWireServer;
let twilioUrl: string;
beforeAll(async () => {
  twilio = new TwilioWireServer();
  twilioUrl = await twilio.start();
});
afterAll(async () => {
  await twilio?.stop();
});

const twilioSender = (timeoutMs = 5_000) =>
  createTwilioSmsSender({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: FROM, apiUrl: twilioUrl, timeoutMs });

describeEachDb('outside calls behind a circuit breaker', (ctx) => {
  it('Twilio down: the circuit opens, later jobs fail fast to the dead-letter list with one log line; after recovery the retried jobs text once each', async () => {
    const topic = `sms-breaker-${ctx.backend}`;
    let t = 1_000_000;
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const breakers = createCircuitBreakers({ failureThreshold: 3, openMs: 60_000, jitter: 0, now: () => t, log });
    const sms = guardSmsSender(twilioSender(), breakers.for('twilio'));
    const dispatcher = createOutboxDispatcher(ctx.db, {
      subscribers: [
        {
          topic,
          name: 'text-customer',
          // The key is the event's own id (and the backend: both runs share one Twilio): a retry of the event is the same message.
          handle: async (e) => void (await sms.send({ to: String(e.payload.to), body: 'Your order shipped', idempotencyKey: `event-${ctx.backend}-${e.id}` })),
        },
      ],
      maxAttempts: 2,
      backoffMs: 10,
      concurrency: 1,
      log,
    });
    const requestsBefore = twilio.createRequests;
    const messagesBefore = twilio.messages.length;
    // Only three requests reach Twilio before the circuit opens; their failures are all it is told.
    twilio.fail({ kind: '500' }, 3);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      await ctx.db.transaction((tx) => writeOutbox(tx, topic, { to: `+1555010${1000 + i}` }));
      const { rows } = await ctx.db.query<{ id: number }>('SELECT max(id)::int AS id FROM outbox');
      ids.push(rows[0]!.id);
    }
    const deadCount = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND dead_at IS NOT NULL', [ids])).rows[0]!.n;
    for (let round = 0; (await deadCount()) < ids.length; round++) {
      if (round > 500) throw new Error(`the events never reached the dead-letter list: ${JSON.stringify((await ctx.db.query('SELECT id, attempts, dead_at, done_at, next_attempt_at, now() AS now, last_error FROM outbox WHERE id = ANY($1::bigint[])', [ids])).rows)} requests ${twilio.createRequests - requestsBefore}`);
      await dispatcher.runDue();
      await new Promise((r) => setTimeout(r, 15));
    }

    // Three calls reached Twilio; everything after failed fast without a request.
    expect(twilio.createRequests - requestsBefore).toBe(3);
    expect(breakers.for('twilio').state).toBe('open');
    const failed = (await listFailedJobs(ctx.db, { queue: 'outbox', limit: 100 })).items.filter((f) => ids.includes(Number((f.payload as { id: number }).id)));
    expect(failed).toHaveLength(6);
    for (const f of failed) expect(f.error).toMatch(/^text-customer: twilio is unavailable \(circuit open/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^twilio: circuit open for 60\.0 s after 3 consecutive failures \(last: Twilio could not take the message/);

    // The open time passes (Twilio answers again): the first retried job is the probe.
    t += 60_000;
    for (const f of failed) await retryFailedJob(ctx.db, f.id, systemActor('test'));
    const doneCount = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND done_at IS NOT NULL', [ids])).rows[0]!.n;
    for (let round = 0; (await doneCount()) < ids.length; round++) {
      if (round > 500) throw new Error('the retried events never completed');
      await dispatcher.runDue();
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(breakers.for('twilio').state).toBe('closed');
    const mine = twilio.messages.slice(messagesBefore);
    expect(mine.map((m) => m.idempotencyToken).sort()).toEqual(ids.map((id) => `event-${ctx.backend}-${id}`).sort());
    expect(lines.slice(1).map((l) => l.replace(/^twilio: /, ''))).toEqual(['circuit half-open, one call goes through', 'circuit closed, the service answers again']);
  });

  it('a text whose answer was lost is sent again by a fresh process under the same key, and Twilio holds one message', async () => {
    const before = twilio.messages.length;
    twilio.fail({ kind: 'slow', ms: 400 }, 1);
    const key = `event-crash-${ctx.backend}`;
    const first = twilioSender(100);
    await expect(first.send({ to: '+15550109999', body: 'Your order shipped', idempotencyKey: key })).rejects.toMatchObject({ retryable: true, code: 'timeout' });
    await new Promise((r) => setTimeout(r, 500));
    // A new process remembers nothing of the first send; the key alone keeps it one message.
    const restarted = twilioSender();
    const result = await restarted.send({ to: '+15550109999', body: 'Your order shipped', idempotencyKey: key });
    const mine = twilio.messages.slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.idempotencyToken).toBe(key);
    expect(result.providerId).toBe(mine[0]!.sid);
  });
});
