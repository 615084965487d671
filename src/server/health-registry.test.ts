import { describe, expect, it } from 'vitest';
import { createHealthRegistry } from './health-registry.js';

describe('createHealthRegistry', () => {
  it('reads each dependency at every snapshot', () => {
    const registry = createHealthRegistry();
    let state: 'connecting' | 'ready' = 'connecting';
    registry.add('slack', () => ({ state, lastError: null, nextAttemptAt: null }));
    expect(registry.snapshot()).toEqual({ slack: { state: 'connecting', lastError: null, nextAttemptAt: null } });
    state = 'ready';
    expect(registry.snapshot().slack!.state).toBe('ready');
  });

  it('refuses a name the core answer uses, and a second dependency of one name', () => {
    const registry = createHealthRegistry();
    const ready = () => ({ state: 'ready' as const, lastError: null, nextAttemptAt: null });
    expect(() => registry.add('status', ready)).toThrow(/core health answer/);
    registry.add('smtp', ready);
    expect(() => registry.add('smtp', ready)).toThrow(/already reported/);
  });
});
