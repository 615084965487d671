import { describe, expect, it } from 'vitest';
import { connectInBackground } from './connect-in-background.js';

const retry = { firstDelayMs: 50, maxDelayMs: 100 };

describe('connectInBackground', () => {
  it('returns at once, reports each failure with the next attempt time, and turns ready on the first success', async () => {
    let calls = 0;
    const failures: number[] = [];
    const conn = connectInBackground({
      attempt: async () => {
        calls += 1;
        if (calls < 4) throw new Error(`refused ${calls}`);
      },
      retry,
      onFailure: (_err, delay) => failures.push(delay),
    });
    expect(conn.health()).toEqual({ state: 'connecting', lastError: null, nextAttemptAt: null });
    const before = Date.now();
    conn.start();
    await new Promise((r) => setImmediate(r));
    const failing = conn.health();
    expect(failing.state).toBe('failing');
    expect(failing.lastError).toBe('refused 1');
    expect(Date.parse(failing.nextAttemptAt!)).toBeGreaterThanOrEqual(before + retry.firstDelayMs / 2);
    await conn.whenReady();
    expect(conn.health()).toEqual({ state: 'ready', lastError: null, nextAttemptAt: null });
    expect(calls).toBe(4);
    expect(failures).toHaveLength(3);
    expect(failures.every((d) => d <= retry.maxDelayMs)).toBe(true);
  });

  it('stops retrying when stopped', async () => {
    let calls = 0;
    const conn = connectInBackground({
      attempt: async () => {
        calls += 1;
        throw new Error('no');
      },
      retry,
    });
    conn.start();
    await new Promise((r) => setImmediate(r));
    conn.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(after);
    expect(conn.health().state).toBe('failing');
  });
});
