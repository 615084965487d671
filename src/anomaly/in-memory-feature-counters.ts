import {
  CHANNEL_BASELINE_SIZE,
  COUNTER_WINDOWS,
  CUSTOMER_HISTORY_SIZE,
  LONGEST_WINDOW_MS,
  WINDOW_NAMES,
  emptyCustomerHistory,
  emptyWindowCounts,
  withKnownPlace,
  type CounterSnapshot,
  type CustomerHistory,
  type FeatureCounters,
  type GeoPoint,
  type KeyCounts,
  type KeyKind,
  type OrderObservation,
} from './feature-counters.js';
import { robustBaseline } from './stats/robust-z.js';

interface KeyState {
  /** Orders per account that used the key, ever. */
  accounts: Map<string, number>;
  /** (time, account) of orders inside the longest window, oldest first. */
  events: { at: number; accountId: string }[];
}

interface CustomerState {
  orders: number;
  recent: number[];
  firstAt: number;
  lastAt: number;
  events: number[];
  places: GeoPoint[];
}

/**
 * Counters held in process memory: the evaluations stream whole data sets through them, and
 * they define the behaviour the Postgres counters must match.
 */
export class InMemoryFeatureCounters implements FeatureCounters {
  private readonly keys = new Map<string, KeyState>();
  private readonly customers = new Map<string, CustomerState>();
  private readonly channels = new Map<string, number[]>();
  private readonly seen = new Map<string, CounterSnapshot>();

  async observe(order: OrderObservation): Promise<CounterSnapshot> {
    return this.observeSync(order);
  }

  /** Same as `observe`, without the promise, for tight evaluation loops. */
  observeSync(order: OrderObservation): CounterSnapshot {
    const repeat = this.seen.get(order.orderId);
    if (repeat) return repeat;
    const at = order.at.getTime();
    const snapshot: CounterSnapshot = {
      keys: {},
      customer: this.customerHistory(order.accountId, at),
      channel: robustBaseline(this.channels.get(order.channel) ?? []),
    };
    for (const [kind, value] of Object.entries(order.keys) as [KeyKind, string | undefined][]) {
      if (!value) continue;
      const id = `${kind}\u0000${value}`;
      let state = this.keys.get(id);
      if (!state) this.keys.set(id, (state = { accounts: new Map(), events: [] }));
      prune(state.events, at, (e) => e.at);
      snapshot.keys[kind] = keyCounts(state, order.accountId, at);
      state.accounts.set(order.accountId, (state.accounts.get(order.accountId) ?? 0) + 1);
      state.events.push({ at, accountId: order.accountId });
    }
    this.record(order, at);
    this.seen.set(order.orderId, snapshot);
    return snapshot;
  }

  private customerHistory(accountId: string, at: number): CustomerHistory {
    const c = this.customers.get(accountId);
    if (!c) return emptyCustomerHistory();
    prune(c.events, at, (t) => t);
    const ordersIn = emptyWindowCounts();
    for (const w of WINDOW_NAMES) ordersIn[w] = c.events.filter((t) => t > at - COUNTER_WINDOWS[w]).length;
    return {
      orders: c.orders,
      recentValuesCents: [...c.recent],
      firstOrderAt: new Date(c.firstAt),
      lastOrderAt: new Date(c.lastAt),
      ordersIn,
      knownPlaces: [...c.places],
    };
  }

  private record(order: OrderObservation, at: number): void {
    let c = this.customers.get(order.accountId);
    if (!c) this.customers.set(order.accountId, (c = { orders: 0, recent: [], firstAt: at, lastAt: at, events: [], places: [] }));
    c.orders++;
    c.lastAt = Math.max(c.lastAt, at);
    c.recent.push(order.valueCents);
    if (c.recent.length > CUSTOMER_HISTORY_SIZE) c.recent.shift();
    c.events.push(at);
    c.places = withKnownPlace(c.places, order.shipTo);
    let values = this.channels.get(order.channel);
    if (!values) this.channels.set(order.channel, (values = []));
    values.push(order.valueCents);
    if (values.length > CHANNEL_BASELINE_SIZE) values.shift();
  }
}

function prune<T>(events: T[], now: number, time: (e: T) => number): void {
  let drop = 0;
  while (drop < events.length && time(events[drop]!) <= now - LONGEST_WINDOW_MS) drop++;
  if (drop) events.splice(0, drop);
}

function keyCounts(state: KeyState, accountId: string, at: number): KeyCounts {
  const orders = emptyWindowCounts();
  const otherAccountsIn = emptyWindowCounts();
  for (const w of WINDOW_NAMES) {
    const since = at - COUNTER_WINDOWS[w];
    const others = new Set<string>();
    for (const e of state.events) {
      if (e.at <= since) continue;
      orders[w]++;
      if (e.accountId !== accountId) others.add(e.accountId);
    }
    otherAccountsIn[w] = others.size;
  }
  const own = state.accounts.get(accountId) ?? 0;
  return { otherAccounts: state.accounts.size - (own ? 1 : 0), accountOrders: own, orders, otherAccountsIn };
}
