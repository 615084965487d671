import { describe, expect, it } from 'vitest';
import type { OrderObservation } from '../feature-counters.js';
import { evaluateFraud, pickHoldThreshold } from './fraud-eval.js';

const T0 = Date.parse('2015-03-01T00:00:00Z');

/** Ordinary buyers, plus bots that check out seconds after sign-up on shared devices, in both periods. */
function stream(): { orders: OrderObservation[]; fraud: boolean[] } {
  const orders: OrderObservation[] = [];
  const fraud: boolean[] = [];
  for (let i = 0; i < 400; i++) {
    const at = T0 + i * 6 * 3_600_000; // 100 days, across the 2015-06-01 cut
    const bot = i % 10 === 0;
    orders.push({
      orderId: `o${i}`,
      accountId: `u${i}`,
      channel: 'SEO',
      at: new Date(at),
      valueCents: 3000 + (i % 7) * 500,
      accountCreatedAt: new Date(bot ? at - 1000 : at - 20 * 86_400_000),
      keys: { device: bot ? `bot${Math.floor(i / 50)}` : `d${i}` },
    });
    fraud.push(bot);
  }
  return { orders, fraud };
}

describe('evaluateFraud', () => {
  it('tunes on the early period and catches the same pattern later', () => {
    const { orders, fraud } = stream();
    const r = evaluateFraud(orders, fraud);
    expect(r.tune.orders + r.test.orders).toBe(400);
    expect(r.test.precision).toBe(1);
    expect(r.test.recall).toBe(1);
    expect(r.weights.fast_checkout).toBeGreaterThan(0.9);
  });

  it('never lets test-period labels change a decision', () => {
    const { orders, fraud } = stream();
    const cut = Date.parse('2015-06-01T00:00:00Z');
    const flipped = fraud.map((y, i) => (orders[i]!.at.getTime() >= cut ? !y : y));
    const a = evaluateFraud(orders, fraud);
    const b = evaluateFraud(orders, flipped);
    expect(b.hold_threshold).toBe(a.hold_threshold);
    expect(b.weights).toEqual(a.weights);
    expect(b.test.held).toBe(a.test.held);
  });
});

describe('pickHoldThreshold', () => {
  it('takes the lowest score that keeps the target precision', () => {
    const scores = [90, 80, 70, 60, 50];
    const labels = [true, true, true, false, true];
    expect(pickHoldThreshold(scores, labels, 0.95)).toBe(70);
    expect(pickHoldThreshold(scores, labels, 0.75)).toBe(50);
  });
  it('falls back to the best F1 when no score reaches the target', () => {
    expect(pickHoldThreshold([90, 80, 70], [false, true, true], 0.95)).toBe(70);
  });
});
