import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import type { Db } from '../../src/db/db.js';
import { recordFailedJob } from '../../src/jobs/record-failed-job.js';
import type { AppExtension, RunningApp } from '../../src/server/start-app.js';
import { startApp } from '../../src/server/start-app.js';
import { listFailedJobs } from '../../src/tools/list-failed-jobs.js';
import { retryFailedJob } from '../../src/tools/retry-failed-job.js';
import { settleOutbox } from '../support/settle-outbox.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const config = testAppConfig('failed-jobs', { APPROVERS: 'U-LEAD' });
const lead = { kind: 'person' as const, id: 'U-LEAD' };
const requester = { kind: 'person' as const, id: 'ops@example.com' };

describe('the dead-letter list', () => {
  let db: Db;
  let running: RunningApp;
  let broken = true;
  const runs: string[] = [];
  const fragile: AppExtension = async (ctx) => {
    ctx.queue.register<{ what: string }>('test-fragile', async ({ what }) => {
      runs.push(what);
      if (broken) throw new Error(`the printer is on fire (${what})`);
    });
  };

  beforeAll(async () => {
    db = await openTestDb('pglite');
    running = await startApp(config, { db, extensions: [fragile], log: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    await db?.close();
  });

  const get = (path: string) => fetch(`${running.url}${path}`);
  const requestRetry = (failedJobId: number, threadKey: string) =>
    createApprovalService({ db, config }).request({
      tool: retryFailedJob,
      args: { failed_job_id: failedJobId },
      ctx: { db, config, actor: requester, persona: 'ops' },
      reason: 'retry_failed_job always needs an approval',
      requester,
      verification: { verified: true, summary: 'test operator' },
      origin: { channel: 'cli', threadKey },
    });

  it('holds a job that failed its last attempt, for the API, the dashboard and the agent', async () => {
    await running.queue.enqueue('test-fragile', { what: 'label 1' }, { jobId: 'fragile-1', attempts: 2 });
    await running.queue.drain();
    for (let i = 0; i < 100; i++) {
      if ((await db.query('SELECT 1 FROM failed_jobs WHERE job_id = $1', ['fragile-1'])).rows.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await get('/api/jobs/failed');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; next_cursor: string | null };
    expect(body.next_cursor).toBeNull();
    expect(body.items).toEqual([
      expect.objectContaining({
        queue: 'test-fragile',
        job_id: 'fragile-1',
        payload: { what: 'label 1' },
        attempts: 2,
        error: 'the printer is on fire (label 1)',
        retried_at: null,
      }),
    ]);
    const dashboard = (await (await get('/api/dashboard')).json()) as { failedJobs: number };
    expect(dashboard.failedJobs).toBe(1);

    const listed = (await listFailedJobs.run({}, { db, config, actor: requester, persona: 'ops' })) as { failed_jobs: { job_id: string }[] };
    expect(listed.failed_jobs.map((j) => j.job_id)).toEqual(['fragile-1']);
  });

  it('pages with limit and cursor, and names a bad parameter', async () => {
    for (const n of [2, 3, 4]) {
      await recordFailedJob(db, { queue: 'test-paging', jobId: `page-${n}`, payload: { n }, error: 'x', attempts: 1 });
    }
    const first = (await (await get('/api/jobs/failed?queue=test-paging&limit=2')).json()) as { items: { job_id: string }[]; next_cursor: string };
    expect(first.items.map((j) => j.job_id)).toEqual(['page-4', 'page-3']);
    const second = (await (await get(`/api/jobs/failed?queue=test-paging&limit=2&cursor=${first.next_cursor}`)).json()) as {
      items: { job_id: string }[];
      next_cursor: string | null;
    };
    expect(second).toEqual({ items: [expect.objectContaining({ job_id: 'page-2' })], next_cursor: null });

    const bad = await get('/api/jobs/failed?limit=0');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('limit');
  });

  it('retries only after an approval, once however often it is approved, and records who retried', async () => {
    const approvals = createApprovalService({ db, config });
    const { rows } = await db.query<{ id: number }>(`SELECT id::int AS id FROM failed_jobs WHERE job_id = 'fragile-1'`);
    const failedJobId = rows[0]!.id;
    const { approval } = await requestRetry(failedJobId, 'failed-jobs');
    expect(approval.status).toBe('pending');
    expect(JSON.stringify(approval.preview)).toContain('enqueued again');
    // The preview ran in a rolled-back transaction: nothing is retried yet.
    await settleOutbox(running);
    expect(runs).toEqual(['label 1', 'label 1']);

    broken = false;
    const decided = await approvals.decideApproval({ id: approval.id, decision: 'approve', decider: lead });
    expect(decided.status).toBe('executed');
    const twice = await approvals.decideApproval({ id: approval.id, decision: 'approve', decider: lead });
    expect(twice.alreadyDecided).toBe(true);
    await settleOutbox(running);
    expect(runs).toEqual(['label 1', 'label 1', 'label 1']);

    const retried = (await (await get('/api/jobs/failed?status=retried&queue=test-fragile')).json()) as {
      items: { retried_by: string; retried_at: string }[];
    };
    expect(retried.items).toHaveLength(1);
    expect(retried.items[0]!.retried_by).toContain('ops@example.com');
    expect(((await (await get('/api/dashboard')).json()) as { failedJobs: number }).failedJobs).toBe(3);

    // A second request for the same dead letter fails its dry run: there is nothing left to approve.
    await expect(requestRetry(failedJobId, 'failed-jobs-2')).rejects.toThrow(/already retried/);
  });
});
