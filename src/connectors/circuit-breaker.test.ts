import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';

class Down extends Error {}
class Refused extends Error {}

function setup(over: { random?: () => number } = {}) {
  let t = 1_000_000;
  const lines: string[] = [];
  const breaker = new CircuitBreaker({
    service: 'easypost',
    failureThreshold: 3,
    openMs: 1_000,
    maxOpenMs: 5_000,
    jitter: 0.2,
    now: () => t,
    random: over.random ?? (() => 0.5),
    log: (l) => lines.push(l),
  });
  let calls = 0;
  const call = (outcome: 'ok' | 'down' | 'refused') =>
    breaker.run(
      async () => {
        calls++;
        if (outcome === 'down') throw new Down('503');
        if (outcome === 'refused') throw new Refused('422');
        return 'answer';
      },
      (err) => err instanceof Down,
    );
  return { breaker, lines, call, calls: () => calls, advance: (ms: number) => (t += ms) };
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and then fails fast without calling', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) await expect(s.call('down')).rejects.toBeInstanceOf(Down);
    expect(s.breaker.state).toBe('open');
    const err = await s.call('ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect((err as CircuitOpenError).service).toBe('easypost');
    expect((err as CircuitOpenError).retryInMs).toBe(1_000);
    expect(s.calls()).toBe(3);
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatch(/^easypost: circuit open for 1\.0 s after 3 consecutive failures \(last: 503\)$/);
  });

  it("counts only outages: a refusal or a success in between starts the count again", async () => {
    const s = setup();
    await s.call('down').catch(() => undefined);
    await s.call('down').catch(() => undefined);
    await s.call('refused').catch(() => undefined);
    await s.call('down').catch(() => undefined);
    await s.call('down').catch(() => undefined);
    await s.call('ok');
    await s.call('down').catch(() => undefined);
    expect(s.breaker.state).toBe('closed');
    expect(s.lines).toEqual([]);
  });

  it('half-opens when the open time is over, lets one probe through, and closes when it succeeds', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) await s.call('down').catch(() => undefined);
    s.advance(999);
    await expect(s.call('ok')).rejects.toBeInstanceOf(CircuitOpenError);
    s.advance(1);
    let release!: () => void;
    const probe = s.breaker.run(() => new Promise<string>((r) => (release = () => r('probe'))));
    expect(s.breaker.state).toBe('half_open');
    // While the probe is out, everything else still fails fast.
    await expect(s.call('ok')).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(probe).resolves.toBe('probe');
    expect(s.breaker.state).toBe('closed');
    await expect(s.call('ok')).resolves.toBe('answer');
    expect(s.lines.map((l) => l.split(':')[1]!.trim())).toEqual(['circuit open for 1.0 s after 3 consecutive failures (last', 'circuit half-open, one call goes through', 'circuit closed, the service answers again']);
  });

  it('a failed probe reopens for twice as long, up to the cap, with jitter', async () => {
    const s = setup({ random: () => 1 });
    for (let i = 0; i < 3; i++) await s.call('down').catch(() => undefined);
    expect(s.lines[0]).toContain('open for 1.2 s');
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const open = (await s.call('ok').catch((e: unknown) => e)) as CircuitOpenError;
      waits.push(open.retryInMs);
      s.advance(open.retryInMs);
      await expect(s.call('down')).rejects.toBeInstanceOf(Down);
      expect(s.breaker.state).toBe('open');
    }
    expect(waits).toEqual([1_200, 2_400, 4_800, 5_000]);
    expect(s.lines.filter((l) => l.includes('after the trial call failed'))).toHaveLength(4);
    // A success after the reopenings starts the doubling from the first step again.
    s.advance(5_000);
    await s.call('ok');
    for (let i = 0; i < 3; i++) await s.call('down').catch(() => undefined);
    expect(((await s.call('ok').catch((e: unknown) => e)) as CircuitOpenError).retryInMs).toBe(1_200);
  });

  it('a call that started before the circuit opened changes nothing when it ends', async () => {
    const s = setup();
    let finish!: () => void;
    const slow = s.breaker.run(() => new Promise<string>((r) => (finish = () => r('late'))));
    for (let i = 0; i < 3; i++) await s.call('down').catch(() => undefined);
    finish();
    await slow;
    expect(s.breaker.state).toBe('open');
  });
});
