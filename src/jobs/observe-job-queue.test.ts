import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobRun } from './job-observer.js';
import { observeJobQueue } from './observe-job-queue.js';

describe('observeJobQueue', () => {
  it('reports every attempt of a job, failed or not, and runNow too', async () => {
    const runs: JobRun[] = [];
    const failures: string[] = [];
    const queue = observeJobQueue(createInProcessQueue({ backoffMs: 1, onFailed: (f) => failures.push(f.jobId) }), { ran: (r) => runs.push(r) });
    let calls = 0;
    queue.register<{ n: number }>('flaky', async ({ n }) => {
      calls++;
      if (calls === 1) throw new Error(`first try of ${n} fails`);
    });
    queue.register('broken', async () => {
      throw new Error('always');
    });
    await queue.start();
    await queue.enqueue('flaky', { n: 1 });
    await queue.enqueue('broken', {}, { jobId: 'b-1', attempts: 2 });
    await queue.drain();
    await queue.runNow('flaky', { n: 2 }, { jobId: 'now-1' });
    await queue.close();

    const summary = runs.map((r) => `${r.queue}/${r.job}:${r.failed ? 'failed' : 'ok'}`).sort();
    expect(summary).toEqual(['broken/broken:failed', 'broken/broken:failed', 'flaky/flaky:failed', 'flaky/flaky:ok', 'flaky/flaky:ok']);
    for (const r of runs) expect(r.seconds).toBeGreaterThanOrEqual(0);
    // The wrapped queue keeps its own behaviour: the last failure still reaches the dead-letter hook.
    expect(failures).toEqual(['b-1']);
    expect(queue.kind).toBe('in-process');
  });
});
