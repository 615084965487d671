import { describe, expect, it } from 'vitest';
import { fitNoisyOrWeights, type NoisyOrExample } from './fit-noisy-or-weights.js';

const example = (codes: string[], positive: boolean): NoisyOrExample => ({
  fired: codes.map((code) => ({ code, strength: 1 })),
  positive,
});

describe('fitNoisyOrWeights', () => {
  it('gives a rule riding on a stronger one only the weight of what it adds', () => {
    const examples: NoisyOrExample[] = [];
    // "strong" is always right; "rider" fires with every strong hit and on 200 ordinary orders, 5% bad.
    for (let i = 0; i < 300; i++) examples.push(example(['strong', 'rider'], true));
    for (let i = 0; i < 200; i++) examples.push(example(['rider'], i < 10));
    for (let i = 0; i < 2000; i++) examples.push(example([], i < 100));
    const w = fitNoisyOrWeights(examples, { strong: 0.5, rider: 0.5 }, 2);
    expect(w.strong).toBeGreaterThan(0.95);
    expect(w.rider).toBeLessThan(0.15);
  });

  it('keeps the prior for a rule that never fired', () => {
    const w = fitNoisyOrWeights([example([], false), example([], true)], { unseen: 0.4 });
    expect(w.unseen).toBeCloseTo(0.4, 2);
  });
});
