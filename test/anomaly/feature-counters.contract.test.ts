import { expect, it } from 'vitest';
import type { FeatureCounters, GeoPoint, OrderObservation } from '../../src/anomaly/feature-counters.js';
import { InMemoryFeatureCounters } from '../../src/anomaly/in-memory-feature-counters.js';
import { PostgresFeatureCounters } from '../../src/anomaly/postgres-feature-counters.js';
import { describeEachDb } from '../support/test-db.js';

const T0 = new Date('2025-03-01T10:00:00Z').getTime();
const min = 60_000;
const day = 86_400_000;
const NEW_YORK: GeoPoint = { latitude: 40.75, longitude: -73.99, country: 'US', precise: true };
const DENVER: GeoPoint = { latitude: 39.74, longitude: -104.98, country: 'US', precise: true };

/** A small stream with shared devices, a burst, a returning customer and an order past the longest window. */
function stream(prefix: string): OrderObservation[] {
  const o = (n: number, account: string, offsetMs: number, keys: OrderObservation['keys'], value = 3000, shipTo: GeoPoint | null = null): OrderObservation => ({
    orderId: `${prefix}-${n}`,
    accountId: `${prefix}-${account}`,
    channel: `${prefix}-web`,
    at: new Date(T0 + offsetMs),
    valueCents: value,
    keys,
    shipTo,
  });
  return [
    o(1, 'a', 0, { device: `${prefix}-d1`, ip: `${prefix}-ip1` }, 3000, NEW_YORK),
    o(2, 'b', 5 * min, { device: `${prefix}-d1`, ip: `${prefix}-ip1` }),
    o(3, 'c', 20 * min, { device: `${prefix}-d1` }, 9000),
    o(4, 'a', 2 * 3_600_000, { device: `${prefix}-d1` }, 3000, { ...NEW_YORK, latitude: 40.751 }),
    o(5, 'a', 3 * day, { device: `${prefix}-d2` }, 4000, DENVER),
    o(6, 'd', 40 * day, { device: `${prefix}-d1`, ip: `${prefix}-ip1` }),
  ];
}

async function runStream(counters: FeatureCounters, orders: OrderObservation[]) {
  const out = [];
  for (const order of orders) out.push(await counters.observe(order));
  return out;
}

describeEachDb('feature counters contract', (ctx) => {
  it('the Postgres counters return exactly what the in-memory counters do', async () => {
    const memory = await runStream(new InMemoryFeatureCounters(), stream('x'));
    const pg = await runStream(new PostgresFeatureCounters(ctx.db), stream('x'));
    expect(pg).toEqual(memory);
  });

  it('counts only earlier orders, per window, and forgets events past the longest window', async () => {
    const snaps = await runStream(new PostgresFeatureCounters(ctx.db), stream('y'));
    expect(snaps[0]!.keys.device).toEqual({ otherAccounts: 0, accountOrders: 0, orders: { '1h': 0, '24h': 0, '30d': 0 }, otherAccountsIn: { '1h': 0, '24h': 0, '30d': 0 } });
    expect(snaps[2]!.keys.device).toMatchObject({ otherAccounts: 2, orders: { '1h': 2, '24h': 2 } });
    // Order 4 is account a again, two hours later: b and c are the other accounts, none in the last hour.
    expect(snaps[3]!.keys.device).toMatchObject({ otherAccounts: 2, orders: { '1h': 0, '24h': 3 }, otherAccountsIn: { '1h': 0, '24h': 2 } });
    expect(snaps[3]!.customer.orders).toBe(1);
    expect(snaps[3]!.keys.device!.accountOrders).toBe(1);
    expect(snaps[4]!.keys.device!.accountOrders).toBe(0);
    // A second order a street away is the same known place; a new city is another one.
    expect(snaps[4]!.customer.knownPlaces).toEqual([{ ...NEW_YORK, latitude: 40.751 }]);
    expect(snaps[4]!.customer.recentValuesCents).toEqual([3000, 3000]);
    // 40 days later: the window counts are empty, the all-time distinct accounts remain.
    expect(snaps[5]!.keys.device).toMatchObject({ otherAccounts: 3, orders: { '30d': 0 } });
    expect(snaps[5]!.channel.n).toBe(5);
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM anomaly_key_events WHERE kind = 'device' AND key = 'y-d1'`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('observing the same order twice does not count it twice', async () => {
    const counters = new PostgresFeatureCounters(ctx.db);
    const [first] = stream('z');
    const a = await counters.observe(first!);
    const b = await counters.observe(first!);
    expect(b).toEqual(a);
    const { rows } = await ctx.db.query<{ orders: number }>(`SELECT orders FROM anomaly_customer_counters WHERE customer_id = 'z-a'`);
    expect(rows[0]!.orders).toBe(1);
  });
});
