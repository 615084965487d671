import { describe, expect, it } from 'vitest';
import { fitLogistic, sigmoid } from './fit-logistic.js';
import { normalCdf } from './normal-cdf.js';

describe('fitLogistic', () => {
  it('recovers the weights that generated the labels', () => {
    // Deterministic "random" draws: a fixed linear congruential sequence.
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const x: number[][] = [];
    const y: (0 | 1)[] = [];
    for (let i = 0; i < 20_000; i++) {
      const a = next() * 4 - 2;
      const b = next() < 0.5 ? 1 : 0;
      x.push([1, a, b]);
      y.push(next() < sigmoid(-0.5 + 1.5 * a - 1 * b) ? 1 : 0);
    }
    const { weights } = fitLogistic(x, y, 0);
    expect(weights[0]).toBeCloseTo(-0.5, 0);
    expect(weights[1]).toBeCloseTo(1.5, 0);
    expect(weights[2]).toBeCloseTo(-1, 0);
  });

  it('stays finite when a feature separates the labels', () => {
    const x = [[1, 0], [1, 0], [1, 1], [1, 1]];
    const { weights } = fitLogistic(x, [0, 0, 1, 1], 1e-2);
    expect(weights.every(Number.isFinite)).toBe(true);
    expect(weights[1]).toBeGreaterThan(1);
  });
});

describe('normalCdf', () => {
  it('matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1)).toBeCloseTo(0.1587, 3);
    expect(normalCdf(-9)).toBe(0);
  });
});
