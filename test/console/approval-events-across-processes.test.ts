import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentService } from '../../src/agent/agent-service.js';
import { startWorker } from '../../src/cli/commands/worker.js';
import { APPROVAL_EVENTS_CHANNEL } from '../../src/console/approval-event.js';
import { consoleExtension } from '../../src/console/console-extension.js';
import type { Db } from '../../src/db/db.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';
import { purgeBullmqPrefix } from '../../src/jobs/bullmq-queue.js';
import { startApp, type AppExtension, type RunningApp } from '../../src/server/start-app.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { openEventStream, type EventStreamClient } from '../support/event-stream-client.js';
import { openCancelApproval } from '../support/pending-cancel-approval.js';
import { createScratchDatabase } from '../support/scratch-postgres-database.js';
import { testAppConfig } from '../support/test-app-config.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const TOKEN = 'approval-events-across-processes-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const OPS = { kind: 'person', id: 'U_OPS' } as const;

// Three orderops processes on one PostgreSQL, as production runs them: two API processes (A, C)
// and a worker (B). Each has its own pool, so NOTIFY is the only way between them.
describe.skipIf(!POSTGRES_URL || !REDIS_URL)('console approval events across processes on one PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let db: Db;
  let apiA: RunningApp;
  let apiC: RunningApp;
  let workerAgent: AgentService;
  const logOfA: string[] = [];
  let heardLogOfA = () => {};
  const config = (name: string, env: Record<string, string>) => testAppConfig(name, { ...env, API_TOKEN: TOKEN });
  // The config approvals are requested with (the agent's; only the expiry window matters here).
  const requests = testAppConfig('events-requests');

  beforeAll(async () => {
    const scratch = await createScratchDatabase(POSTGRES_URL!, 'orderops_events');
    cleanups.push(() => scratch.drop());
    const prefix = `oo-events-${randomBytes(4).toString('hex')}`;
    cleanups.push(() => purgeBullmqPrefix(REDIS_URL!, prefix));
    const env = { DATABASE_URL: scratch.url, REDIS_URL: REDIS_URL!, QUEUE_PREFIX: prefix };
    const apiEnv = { ...env, RUN_WORKERS: 'false' };

    // A migrates the new database; the others start on it once it is ready.
    apiA = await startApp(config('events-api-a', apiEnv), { extensions: [consoleExtension()], log: (line) => void (logOfA.push(line), heardLogOfA()) });
    cleanups.push(() => apiA.stop());
    db = createPostgresDb(env.DATABASE_URL, { max: 2 });
    cleanups.push(() => db.close());
    await seedAgentFixture(db);
    apiC = await startApp(config('events-api-c', apiEnv), { extensions: [consoleExtension()], log: () => undefined });
    cleanups.push(() => apiC.stop());
    const captureAgent: AppExtension = async (ctx) => void (workerAgent = ctx.agent);
    const worker = await startWorker(config('events-worker-b', env), [consoleExtension(), captureAgent]);
    cleanups.push(() => worker.stop());
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  /**
   * Reads `stream` until a marker sent after the event under test: NOTIFY delivers in commit order,
   * so a second copy of the event would have arrived before it.
   */
  async function eventsBeforeMarker(stream: EventStreamClient, approvalId: string) {
    const marker = `marker-${randomBytes(4).toString('hex')}`;
    await db.query('SELECT pg_notify($1, $2)', [
      APPROVAL_EVENTS_CHANNEL,
      JSON.stringify({ type: 'approval.created', approval_id: marker, status: 'pending', order_id: null }),
    ]);
    await stream.until((e) => e.data.includes(marker));
    return stream.events.filter((e) => e.data.includes(approvalId)).map((e) => ({ event: e.event, data: JSON.parse(e.data) as unknown }));
  }

  it('an approval expired by the worker reaches a stream on an API process, once', async () => {
    const id = await openCancelApproval(db, requests, '#W1000001', OPS);
    const stream = await openEventStream(`${apiA.url}/api/events`, auth);
    cleanups.push(async () => stream.close());
    await stream.connected();

    const expired = await workerAgent.approvals.expireApprovals(new Date(Date.now() + 365 * 86_400_000));
    expect(expired.map((a) => a.id)).toEqual([id]);

    expect(await eventsBeforeMarker(stream, id)).toEqual([
      { event: 'approval.expired', data: { approval_id: id, status: 'expired', order_id: '#W1000001' } },
    ]);
    stream.close();
  });

  it('an approval decided over one API process reaches the streams of both, once each', async () => {
    const id = await openCancelApproval(db, requests, '#W1000004', OPS);
    const onA = await openEventStream(`${apiA.url}/api/events`, auth);
    const onC = await openEventStream(`${apiC.url}/api/events`, auth);
    cleanups.push(async () => onA.close(), async () => onC.close());
    await Promise.all([onA.connected(), onC.connected()]);

    const decided = await fetch(`${apiC.url}/api/approvals/${id}/decision`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reason: 'customer kept the order' }),
    });
    expect(decided.status).toBe(200);

    const once = [{ event: 'approval.decided', data: { approval_id: id, status: 'rejected', order_id: '#W1000004' } }];
    expect(await eventsBeforeMarker(onA, id)).toEqual(once);
    // C decided it: its own stream hears it through NOTIFY like everyone else, not a second time locally.
    expect(await eventsBeforeMarker(onC, id)).toEqual(once);
    onA.close();
    onC.close();
  });

  it('after its listening connection is killed, an API process listens again and its open streams keep hearing', async () => {
    const stream = await openEventStream(`${apiA.url}/api/events`, auth);
    cleanups.push(async () => stream.close());
    await stream.connected();
    const relistened = () => logOfA.some((l) => l.includes('live approval updates listening again'));
    expect(relistened()).toBe(false);
    const { rows } = await db.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND query ILIKE 'LISTEN%${APPROVAL_EVENTS_CHANNEL}%'`,
    );
    // A's and C's listeners; the worker serves no stream and does not listen.
    expect(rows).toEqual([{ killed: true }, { killed: true }]);
    await new Promise<void>((resolve) => {
      heardLogOfA = () => relistened() && resolve();
      heardLogOfA();
    });
    expect(logOfA.some((l) => l.includes('live approval updates paused'))).toBe(true);

    const id = await openCancelApproval(db, requests, '#W1000005', OPS);
    const decided = await fetch(`${apiC.url}/api/approvals/${id}/decision`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reason: 'customer kept the order' }),
    });
    expect(decided.status).toBe(200);
    expect(await eventsBeforeMarker(stream, id)).toEqual([
      { event: 'approval.decided', data: { approval_id: id, status: 'rejected', order_id: '#W1000005' } },
    ]);
    stream.close();
  });
});
