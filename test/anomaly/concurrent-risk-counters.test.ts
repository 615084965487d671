import { expect, it } from 'vitest';
import type { OrderObservation } from '../../src/anomaly/feature-counters.js';
import { PostgresFeatureCounters } from '../../src/anomaly/postgres-feature-counters.js';
import { describeEachDb } from '../support/test-db.js';

const BURST = 20;
const AT = new Date('2025-06-01T12:00:00Z');

/**
 * A card-testing burst: many orders from one device at the same instant, each scored in its own
 * transaction on its own connection. Every order must see all the ones counted before it, so the
 * counts the burst saw are exactly 0, 1, ..., n-1, whatever order the database ran them in.
 */
describeEachDb(
  'risk counters under concurrency',
  (ctx) => {
    it(`${BURST} concurrent orders from one device each see every earlier one`, async () => {
      const counters = new PostgresFeatureCounters(ctx.db);
      const order = (n: number): OrderObservation => ({
        orderId: `burst-${n}`,
        accountId: `burst-account-${n}`,
        channel: 'burst-web',
        at: AT,
        valueCents: 1_000 + n,
        keys: { device: 'burst-device', ip: `burst-ip-${n % 3}` },
      });
      const snapshots = await Promise.all(Array.from({ length: BURST }, (_, n) => ctx.db.transaction((tx) => new PostgresFeatureCounters(tx).observe(order(n)))));
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);
      expect(sorted(snapshots.map((s) => s.keys.device!.orders['1h']))).toEqual(upTo(BURST));
      expect(sorted(snapshots.map((s) => s.keys.device!.otherAccounts))).toEqual(upTo(BURST));
      expect(sorted(snapshots.map((s) => s.keys.device!.otherAccountsIn['1h']))).toEqual(upTo(BURST));
      // Each of the three addresses saw its own earlier orders too.
      for (const ip of [0, 1, 2]) {
        const seen = snapshots.filter((_, n) => n % 3 === ip).map((s) => s.keys.ip!.orders['1h']);
        expect(sorted(seen)).toEqual(upTo(seen.length));
      }
      // A redelivered order is not counted twice, even while the burst runs.
      const again = await counters.observe(order(0));
      expect(again).toEqual(snapshots[0]);
      const events = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM anomaly_key_events WHERE kind = 'device' AND key = 'burst-device'`);
      expect(events.rows[0]!.n).toBe(BURST);
    });
  },
  { poolSize: BURST },
);
