import { advisoryXactLocks } from '../db/advisory-xact-lock.js';
import type { Db } from '../db/db.js';
import {
  CHANNEL_BASELINE_SIZE,
  COUNTER_WINDOWS,
  CUSTOMER_HISTORY_SIZE,
  LONGEST_WINDOW_MS,
  withKnownPlace,
  type CounterSnapshot,
  type GeoPoint,
  type FeatureCounters,
  type KeyCounts,
  type KeyKind,
  type OrderObservation,
} from './feature-counters.js';
import { robustBaseline } from './stats/robust-z.js';

/** The account's own orders share the events table under this kind. */
const CUSTOMER_KIND = 'customer';

interface KeyRow {
  kind: string;
  others: number;
  mine: number;
  o1h: number;
  o24h: number;
  o30d: number;
  a1h: number;
  a24h: number;
  a30d: number;
}

/**
 * Feature counters in Postgres tables (migration 020), updated with a handful of statements per
 * order and never by scanning history: key events older than the longest window are deleted
 * as new ones arrive. Run `observe` inside the transaction that scores the order, so the count
 * and the score commit together.
 */
export class PostgresFeatureCounters implements FeatureCounters {
  constructor(private readonly db: Db) {}

  async observe(order: OrderObservation): Promise<CounterSnapshot> {
    return this.db.transaction(async (tx) => {
      // Orders that share a key (a device in a card-testing burst, one account) are counted one
      // at a time: each waits for the earlier ones to commit, so its snapshot sees all of them.
      // Held until the enclosing transaction (the scoring) ends.
      await advisoryXactLocks(tx, [
        `anomaly counters ${CUSTOMER_KIND} ${order.accountId}`,
        ...Object.entries(order.keys).filter(([, v]) => !!v).map(([k, v]) => `anomaly counters ${k} ${v}`),
      ]);
      const seen = await tx.query<{ snapshot: SerializedSnapshot }>(
        'SELECT snapshot FROM anomaly_counter_snapshots WHERE order_id = $1',
        [order.orderId],
      );
      if (seen.rows[0]) return revive(seen.rows[0].snapshot);

      const at = order.at.toISOString();
      const keys = (Object.entries(order.keys) as [KeyKind, string | undefined][]).filter(
        (e): e is [KeyKind, string] => !!e[1],
      );
      const kinds = [...keys.map(([k]) => k), CUSTOMER_KIND];
      const values = [...keys.map(([, v]) => v), order.accountId];
      const since = (ms: number) => new Date(order.at.getTime() - ms).toISOString();

      const counts = await tx.query<KeyRow>(
        `SELECT k.kind,
                (SELECT count(*) FROM anomaly_key_accounts a
                  WHERE a.kind = k.kind AND a.key = k.key AND a.account_id <> $3)::int AS others,
                coalesce((SELECT a.orders FROM anomaly_key_accounts a
                  WHERE a.kind = k.kind AND a.key = k.key AND a.account_id = $3), 0)::int AS mine,
                count(e.order_id) FILTER (WHERE e.at > $4)::int AS o1h,
                count(e.order_id) FILTER (WHERE e.at > $5)::int AS o24h,
                count(e.order_id)::int AS o30d,
                count(DISTINCT e.account_id) FILTER (WHERE e.at > $4 AND e.account_id <> $3)::int AS a1h,
                count(DISTINCT e.account_id) FILTER (WHERE e.at > $5 AND e.account_id <> $3)::int AS a24h,
                count(DISTINCT e.account_id) FILTER (WHERE e.account_id <> $3)::int AS a30d
           FROM unnest($1::text[], $2::text[]) AS k(kind, key)
           LEFT JOIN anomaly_key_events e
             ON e.kind = k.kind AND e.key = k.key AND e.at > $6
          GROUP BY k.kind, k.key`,
        [kinds, values, order.accountId, since(COUNTER_WINDOWS['1h']), since(COUNTER_WINDOWS['24h']), since(LONGEST_WINDOW_MS)],
      );
      const customer = await tx.query<{ orders: number; recent_cents: number[]; first_at: Date; last_at: Date; known_places: GeoPoint[] }>(
        'SELECT orders, recent_cents, first_at, last_at, known_places FROM anomaly_customer_counters WHERE customer_id = $1',
        [order.accountId],
      );
      const channel = await tx.query<{ recent_cents: number[] }>(
        'SELECT recent_cents FROM anomaly_channel_baselines WHERE channel = $1',
        [order.channel],
      );

      const snapshot: CounterSnapshot = {
        keys: {},
        customer: {
          orders: customer.rows[0]?.orders ?? 0,
          recentValuesCents: (customer.rows[0]?.recent_cents ?? []).map(Number),
          firstOrderAt: customer.rows[0]?.first_at ?? null,
          lastOrderAt: customer.rows[0]?.last_at ?? null,
          ordersIn: { '1h': 0, '24h': 0, '30d': 0 },
          knownPlaces: customer.rows[0]?.known_places ?? [],
        },
        channel: robustBaseline((channel.rows[0]?.recent_cents ?? []).map(Number)),
      };
      for (const row of counts.rows) {
        if (row.kind === CUSTOMER_KIND) {
          snapshot.customer.ordersIn = { '1h': row.o1h, '24h': row.o24h, '30d': row.o30d };
          continue;
        }
        const kc: KeyCounts = {
          otherAccounts: row.others,
          accountOrders: row.mine,
          orders: { '1h': row.o1h, '24h': row.o24h, '30d': row.o30d },
          otherAccountsIn: { '1h': row.a1h, '24h': row.a24h, '30d': row.a30d },
        };
        snapshot.keys[row.kind as KeyKind] = kc;
      }

      await tx.query(
        `INSERT INTO anomaly_key_accounts (kind, key, account_id, first_at, last_at, orders)
         SELECT kind, key, $3, $4, $4, 1 FROM unnest($1::text[], $2::text[]) AS k(kind, key)
         ON CONFLICT (kind, key, account_id) DO UPDATE
           SET orders = anomaly_key_accounts.orders + 1,
               last_at = GREATEST(anomaly_key_accounts.last_at, EXCLUDED.last_at)`,
        [kinds.slice(0, -1), values.slice(0, -1), order.accountId, at],
      );
      await tx.query(
        `DELETE FROM anomaly_key_events e USING unnest($1::text[], $2::text[]) AS k(kind, key)
          WHERE e.kind = k.kind AND e.key = k.key AND e.at <= $3`,
        [kinds, values, since(LONGEST_WINDOW_MS)],
      );
      await tx.query(
        `INSERT INTO anomaly_key_events (kind, key, order_id, account_id, at)
         SELECT kind, key, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS k(kind, key)
         ON CONFLICT DO NOTHING`,
        [kinds, values, order.orderId, order.accountId, at],
      );
      await tx.query(
        `INSERT INTO anomaly_customer_counters (customer_id, orders, value_cents, recent_cents, first_at, last_at, known_places)
         VALUES ($1, 1, $2, ARRAY[$2::bigint], $3, $3, $5)
         ON CONFLICT (customer_id) DO UPDATE
           SET orders = anomaly_customer_counters.orders + 1,
               value_cents = anomaly_customer_counters.value_cents + $2,
               recent_cents = (anomaly_customer_counters.recent_cents || $2::bigint)[
                 greatest(1, cardinality(anomaly_customer_counters.recent_cents) + 2 - $4) :],
               last_at = GREATEST(anomaly_customer_counters.last_at, $3),
               known_places = $5`,
        // The customer's row is locked above, so the places read there are still the current ones.
        [order.accountId, order.valueCents, at, CUSTOMER_HISTORY_SIZE, JSON.stringify(withKnownPlace(snapshot.customer.knownPlaces, order.shipTo))],
      );
      await tx.query(
        `INSERT INTO anomaly_channel_baselines (channel, recent_cents, orders) VALUES ($1, ARRAY[$2::bigint], 1)
         ON CONFLICT (channel) DO UPDATE
           SET orders = anomaly_channel_baselines.orders + 1,
               recent_cents = (anomaly_channel_baselines.recent_cents || $2::bigint)[
                 greatest(1, cardinality(anomaly_channel_baselines.recent_cents) + 2 - $3) :]`,
        [order.channel, order.valueCents, CHANNEL_BASELINE_SIZE],
      );
      await tx.query('INSERT INTO anomaly_counter_snapshots (order_id, snapshot) VALUES ($1, $2)', [
        order.orderId,
        JSON.stringify(snapshot),
      ]);
      return snapshot;
    });
  }
}

type SerializedSnapshot = Omit<CounterSnapshot, 'customer'> & {
  customer: Omit<CounterSnapshot['customer'], 'firstOrderAt' | 'lastOrderAt'> & {
    firstOrderAt: string | null;
    lastOrderAt: string | null;
  };
};

// Snapshots stored before a field existed read as that field's empty value.
function revive(s: SerializedSnapshot): CounterSnapshot {
  return {
    ...s,
    keys: Object.fromEntries(Object.entries(s.keys).map(([k, v]) => [k, { ...v, accountOrders: v?.accountOrders ?? 0 }])),
    customer: {
      ...s.customer,
      knownPlaces: s.customer.knownPlaces ?? [],
      firstOrderAt: s.customer.firstOrderAt ? new Date(s.customer.firstOrderAt) : null,
      lastOrderAt: s.customer.lastOrderAt ? new Date(s.customer.lastOrderAt) : null,
    },
  };
}
