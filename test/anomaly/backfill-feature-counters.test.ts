import { expect, it } from 'vitest';
import { backfillFeatureCounters, featureCountersBackfilled } from '../../src/anomaly/backfill-feature-counters.js';
import { createLoggingAlertSink } from '../../src/anomaly/logging-alert-sink.js';
import { scoreOrder } from '../../src/anomaly/score-order.js';
import type { Actor } from '../../src/domain/actor.js';
import { describeEachDb } from '../support/test-db.js';
import { insertOrder } from './anomaly-fixtures.js';

const job: Actor = { kind: 'job', id: 'anomaly-detector' };
const DAY = 86_400_000;

describeEachDb('anomaly counters backfill', (ctx) => {
  it('builds the counters from history in time order, resumes after a stop, and counts a live-scored order once', async () => {
    const start = Date.now() - 100 * DAY;
    const client = { device_id: 'dev-history', browser_ip: '192.0.2.50' };
    const customerId = 'cust_history';
    // Inserted newest first: the backfill must still read them oldest first.
    for (const n of [4, 3, 2, 1, 0]) {
      await insertOrder(ctx.db, { customerId, placedAt: new Date(start + n * 10 * DAY), client, valueCents: 4000 + n * 100, address1: '1 Home St' });
    }
    const other = await insertOrder(ctx.db, { placedAt: new Date(start + 5 * DAY), client: { device_id: 'dev-other' } });
    // One order was already scored live before the backfill ran.
    await scoreOrder(ctx.db, other.orderId, job, { reviewScore: 50, holdScore: 90, alerts: createLoggingAlertSink(null) });

    expect(await featureCountersBackfilled(ctx.db)).toBe(false);
    const first = await backfillFeatureCounters(ctx.db, { maxOrders: 2, batchSize: 1 });
    expect(first).toEqual({ observed: 2, total: 2, finished: false });
    const rest = await backfillFeatureCounters(ctx.db, { batchSize: 2 });
    expect(rest).toMatchObject({ observed: 4, total: 6, finished: true });
    expect(await featureCountersBackfilled(ctx.db)).toBe(true);
    expect(await backfillFeatureCounters(ctx.db)).toMatchObject({ observed: 0, finished: true });

    const { rows } = await ctx.db.query<{ customer_id: string; orders: number; recent_cents: string[] }>(
      'SELECT customer_id, orders, recent_cents FROM anomaly_customer_counters ORDER BY customer_id',
    );
    const history = rows.find((r) => r.customer_id === customerId)!;
    expect(history.orders).toBe(5);
    expect(history.recent_cents.map(Number)).toEqual([4000, 4100, 4200, 4300, 4400]);
    expect(rows.find((r) => r.customer_id === other.customerId)!.orders).toBe(1);

    // The next order of that customer is scored against the history: from a new device and IP.
    const next = await insertOrder(ctx.db, { customerId, client: { device_id: 'dev-stranger', browser_ip: '203.0.113.66' }, address1: '1 Home St' });
    const s = await scoreOrder(ctx.db, next.orderId, job, { reviewScore: 50, holdScore: 90, alerts: createLoggingAlertSink(null) });
    expect(s.fired.map((f) => f.code)).toContain('new_device_and_ip');
  });
});
