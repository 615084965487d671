import type { RobustBaseline } from './stats/robust-z.js';

/** Identifiers that tie different accounts together when they share one. */
export const KEY_KINDS = ['device', 'ip', 'email', 'payment', 'address'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Sliding windows the counters answer for, in milliseconds. */
export const COUNTER_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '30d': 30 * 86_400_000 } as const;
export type CounterWindow = keyof typeof COUNTER_WINDOWS;
export const WINDOW_NAMES = Object.keys(COUNTER_WINDOWS) as CounterWindow[];
/** Events older than the longest window are pruned: the window counts never need them. */
export const LONGEST_WINDOW_MS = Math.max(...Object.values(COUNTER_WINDOWS));

/** A point an address geocodes to; `precise` when it is the postal code's own point, not a country centroid. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
  country: string;
  precise: boolean;
}

/** One order as the counters see it. */
export interface OrderObservation {
  orderId: string;
  accountId: string;
  channel: string;
  at: Date;
  valueCents: number;
  /** When the buyer's account was created, when the storefront said. */
  accountCreatedAt?: Date | null;
  keys: Partial<Record<KeyKind, string>>;
  /** Where the order ships to and where its payer lives, when the addresses geocode. */
  shipTo?: GeoPoint | null;
  billTo?: GeoPoint | null;
  /** The payment gateway's address-verification and card-code results, when the channel passed them. */
  avsResult?: string | null;
  cvvResult?: string | null;
}

export interface KeyCounts {
  /** Accounts other than this order's that used the key before, ever. */
  otherAccounts: number;
  /** Earlier orders of this order's own account with the key, ever. */
  accountOrders: number;
  /** Earlier orders with this key, per window. */
  orders: Record<CounterWindow, number>;
  /** Distinct other accounts with this key, per window. */
  otherAccountsIn: Record<CounterWindow, number>;
}

export interface CustomerHistory {
  /** Earlier orders of this account. */
  orders: number;
  /** Values of the most recent earlier orders, oldest first (bounded). */
  recentValuesCents: number[];
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** Earlier orders of this account in each window. */
  ordersIn: Record<CounterWindow, number>;
  /** Distinct places the account's earlier orders shipped to, most recent last (bounded). */
  knownPlaces: GeoPoint[];
}

/** What the counters held just before an order arrived. */
export interface CounterSnapshot {
  keys: Partial<Record<KeyKind, KeyCounts>>;
  customer: CustomerHistory;
  /** Robust baseline of recent order values on the order's channel, in cents. */
  channel: RobustBaseline;
}

/** How many recent values a customer or channel baseline keeps. */
export const CUSTOMER_HISTORY_SIZE = 50;
export const CHANNEL_BASELINE_SIZE = 501;
/** How many distinct shipping places a customer's history keeps. */
export const KNOWN_PLACES_SIZE = 20;

/**
 * The account's known places with `place` added: a place within a few km of one already known
 * counts as that one (moved to the end), and the oldest drop out past the bound.
 */
export function withKnownPlace(places: readonly GeoPoint[], place: GeoPoint | null | undefined): GeoPoint[] {
  if (!place) return [...places];
  const same = (p: GeoPoint) =>
    p.country === place.country && p.precise === place.precise &&
    Math.abs(p.latitude - place.latitude) < 0.02 && Math.abs(p.longitude - place.longitude) < 0.02;
  const next = [...places.filter((p) => !same(p)), place];
  return next.slice(Math.max(0, next.length - KNOWN_PLACES_SIZE));
}

/**
 * Feature counters kept incrementally as orders arrive (never recomputed over all history).
 * `observe` is called once per order, in arrival order: it returns what the counters held
 * before this order, then folds the order in, so a score built from the snapshot only ever
 * sees the past. Observing an order id a second time returns the snapshot without counting it
 * again, so a redelivered event cannot inflate the counts.
 */
export interface FeatureCounters {
  observe(order: OrderObservation): Promise<CounterSnapshot>;
}

export function emptyCustomerHistory(): CustomerHistory {
  return { orders: 0, recentValuesCents: [], firstOrderAt: null, lastOrderAt: null, ordersIn: emptyWindowCounts(), knownPlaces: [] };
}

export function emptyWindowCounts(): Record<CounterWindow, number> {
  return { '1h': 0, '24h': 0, '30d': 0 };
}
