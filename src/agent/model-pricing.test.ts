import { describe, expect, it } from 'vitest';
import { costUsd } from './model-pricing.js';

const million = (over: Partial<Record<'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens', number>>) => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  ...over,
});

/** USD for one million tokens of each kind: [input, output, 5-minute cache write, cache read]. */
function ratesOf(model: string): number[] {
  const one = (kind: Parameters<typeof million>[0]) => Number(costUsd('anthropic', model, million(kind)).toFixed(6));
  return [one({ inputTokens: 1e6 }), one({ outputTokens: 1e6 }), one({ cacheWriteTokens: 1e6 }), one({ cacheReadTokens: 1e6 })];
}

describe('model pricing (list prices per million tokens)', () => {
  it('prices Opus 4.5 and later at $5 / $25, with cache writes at 1.25x and reads at 0.1x input', () => {
    for (const model of ['claude-opus-4-5', 'claude-opus-4-5-20251101', 'claude-opus-4-6']) {
      expect(ratesOf(model), model).toEqual([5, 25, 6.25, 0.5]);
    }
  });

  it('keeps Opus 4, Opus 4.1 and Opus 3 at $15 / $75', () => {
    for (const model of ['claude-opus-4-0', 'claude-opus-4-20250514', 'claude-opus-4-1', 'claude-opus-4-1-20250805', 'claude-3-opus-20240229']) {
      expect(ratesOf(model), model).toEqual([15, 75, 18.75, 1.5]);
    }
  });

  it('prices Sonnet and Haiku by generation', () => {
    expect(ratesOf('claude-sonnet-4-5')).toEqual([3, 15, 3.75, 0.3]);
    expect(ratesOf('claude-sonnet-5')).toEqual([2, 10, 2.5, 0.2]);
    expect(ratesOf('claude-sonnet-5-5')).toEqual([2, 10, 2.5, 0.2]);
    expect(ratesOf('claude-opus-5').slice(0, 2)).toEqual([5, 25]);
    expect(ratesOf('claude-opus-5-5').slice(0, 2)).toEqual([4, 20]);
    expect(ratesOf('claude-fable-5-1').slice(0, 2)).toEqual([10, 50]);
    expect(ratesOf('claude-haiku-4-5')).toEqual([1, 5, 1.25, 0.1]);
    expect(ratesOf('claude-3-5-haiku-20241022')).toEqual([0.8, 4, 1, 0.08]);
    expect(ratesOf('claude-3-haiku-20240307').slice(0, 2)).toEqual([0.25, 1.25]);
  });

  it('charges nothing for local providers and adds the parts of a mixed call', () => {
    expect(costUsd('offline', 'claude-opus-4-5', million({ inputTokens: 1e6 }))).toBe(0);
    const mixed = costUsd('anthropic', 'claude-opus-4-5', { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 3000, cacheWriteTokens: 2000 });
    expect(mixed).toBeCloseTo((1000 * 5 + 200 * 25 + 3000 * 0.5 + 2000 * 6.25) / 1e6, 10);
  });
});
