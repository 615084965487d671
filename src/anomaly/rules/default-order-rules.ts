import type { KeyKind } from '../feature-counters.js';
import { poissonUpperTail } from '../stats/poisson-upper-tail.js';
import { median, robustZ } from '../stats/robust-z.js';
import { ACCOUNT_TAKEOVER_RULES } from './account-takeover-rules.js';
import { defineRule, type AnomalyRule, type RuleArgs } from './anomaly-rule.js';
import type { OrderRiskFeatures } from './order-risk-features.js';

type OrderRule = AnomalyRule<OrderRiskFeatures, RuleArgs>;

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const duration = (seconds: number) =>
  seconds < 120 ? `${Math.round(seconds)} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;

export const fastCheckoutRule = defineRule<OrderRiskFeatures, { maxSeconds: number }>({
  code: 'fast_checkout',
  description: 'The purchase came within seconds of the account being created, as scripted checkouts do.',
  args: { maxSeconds: 60 },
  weight: 0.97,
  check: (f, { maxSeconds }) =>
    f.accountAgeSeconds !== null && f.accountAgeSeconds <= maxSeconds
      ? {
          reason: `bought ${duration(f.accountAgeSeconds)} after the account was created (limit ${maxSeconds} s)`,
          evidence: { accountAgeSeconds: f.accountAgeSeconds },
        }
      : null,
});

export const newAccountRule = defineRule<OrderRiskFeatures, { maxHours: number }>({
  code: 'new_account',
  description: 'The account is younger than a day; new accounts carry more risk than returning ones.',
  args: { maxHours: 24 },
  weight: 0.15,
  check: (f, { maxHours }) =>
    f.accountAgeSeconds !== null && f.accountAgeSeconds <= maxHours * 3600
      ? {
          reason: `account created ${duration(f.accountAgeSeconds)} before the purchase (under ${maxHours} h)`,
          evidence: { accountAgeSeconds: f.accountAgeSeconds },
        }
      : null,
});

const KEY_LABEL: Record<KeyKind, string> = {
  device: 'device',
  ip: 'IP address',
  email: 'email address',
  payment: 'payment card',
  address: 'shipping address',
};

/** "This key was already used by N other accounts" for one kind of key. */
export function sharedKeyRule(kind: KeyKind, code: string, minOtherAccounts: number, weight: number): OrderRule {
  return defineRule<OrderRiskFeatures, { kind: string; minOtherAccounts: number }>({
    code,
    description: `The ${KEY_LABEL[kind]} was already used by at least the given number of other accounts.`,
    args: { kind, minOtherAccounts },
    weight,
    check: (f, args) => {
      const counts = f.counts.keys[args.kind as KeyKind];
      if (!counts || counts.otherAccounts < args.minOtherAccounts) return null;
      return {
        reason: `${KEY_LABEL[args.kind as KeyKind]} already used by ${counts.otherAccounts} other account${counts.otherAccounts === 1 ? '' : 's'}`,
        evidence: { otherAccounts: counts.otherAccounts, otherAccounts24h: counts.otherAccountsIn['24h'] },
      };
    },
  }) as OrderRule;
}

export const sharedDeviceRule = sharedKeyRule('device', 'shared_device', 1, 0.6);
export const sharedIpRule = sharedKeyRule('ip', 'shared_ip', 1, 0.6);
export const sharedEmailRule = sharedKeyRule('email', 'shared_email', 1, 0.5);
export const sharedPaymentRule = sharedKeyRule('payment', 'shared_payment', 1, 0.6);
// Households and offices share an address, so it takes more accounts to mean something.
export const sharedAddressRule = sharedKeyRule('address', 'shared_address', 3, 0.4);

/**
 * Rate test on a window: orders from one device or IP in the last hour against the rate an
 * ordinary buyer shows. Fires when that many orders would be rarer than `alpha`.
 */
export const keyBurstRule = defineRule<OrderRiskFeatures, { expectedPerHour: number; alpha: number }>({
  code: 'key_burst',
  description: 'More orders from one device or IP in the last hour than an ordinary buyer places.',
  args: { expectedPerHour: 0.1, alpha: 0.001 },
  weight: 0.7,
  check: (f, { expectedPerHour, alpha }) => {
    let worst: { kind: KeyKind; count: number; p: number } | null = null;
    for (const kind of ['device', 'ip'] as const) {
      const counts = f.counts.keys[kind];
      if (!counts) continue;
      const count = counts.orders['1h'] + 1;
      const p = poissonUpperTail(count, expectedPerHour);
      if (p < alpha && (!worst || p < worst.p)) worst = { kind, count, p };
    }
    return worst
      ? {
          reason: `${worst.count} orders from one ${KEY_LABEL[worst.kind]} within an hour (chance ${worst.p.toExponential(1)} at ${expectedPerHour}/h)`,
          evidence: { ...worst },
        }
      : null;
  },
});

/** Robust z-score of the order value against its channel's recent median and MAD. */
export const valueOutlierRule = defineRule<OrderRiskFeatures, { minZ: number; minHistory: number }>({
  code: 'value_outlier',
  description: "The order value is far above the channel's usual order value (robust z-score).",
  args: { minZ: 6, minHistory: 30 },
  weight: 0.35,
  check: (f, { minZ, minHistory }) => {
    const base = f.counts.channel;
    if (base.n < minHistory) return null;
    const z = robustZ(f.order.valueCents, base);
    if (z < minZ) return null;
    return {
      reason: `${money(f.order.valueCents)} is ${z.toFixed(1)} robust deviations above the ${f.order.channel} median of ${money(base.median)}`,
      strength: Math.min(1, z / (2 * minZ)),
      evidence: { z, median: base.median, mad: base.mad, n: base.n },
    };
  },
});

export const customerValueJumpRule = defineRule<OrderRiskFeatures, { multiple: number; minOrders: number }>({
  code: 'customer_value_jump',
  description: "The order is many times the customer's usual order value.",
  args: { multiple: 5, minOrders: 3 },
  weight: 0.35,
  check: (f, { multiple, minOrders }) => {
    const history = f.counts.customer;
    if (history.orders < minOrders) return null;
    const usual = median(history.recentValuesCents);
    if (!(usual > 0) || f.order.valueCents < usual * multiple) return null;
    return {
      reason: `${money(f.order.valueCents)} is ${(f.order.valueCents / usual).toFixed(1)}× this customer's usual ${money(usual)}`,
      evidence: { usualCents: usual, orders: history.orders },
    };
  },
});

/**
 * Rate test on the customer's own history: orders in the last 24 h against the customer's
 * long-run daily rate (floored, so a first repeat is not alarming).
 */
export const customerVelocityRule = defineRule<OrderRiskFeatures, { minDailyRate: number; alpha: number }>({
  code: 'customer_velocity',
  description: 'The customer placed far more orders in the last day than their own history predicts.',
  args: { minDailyRate: 0.5, alpha: 0.001 },
  weight: 0.5,
  check: (f, { minDailyRate, alpha }) => {
    const h = f.counts.customer;
    if (h.orders === 0 || !h.firstOrderAt) return null;
    const days = Math.max(1, (f.order.at.getTime() - h.firstOrderAt.getTime()) / 86_400_000);
    const rate = Math.max(minDailyRate, (h.orders - h.ordersIn['24h']) / days);
    const count = h.ordersIn['24h'] + 1;
    const p = poissonUpperTail(count, rate);
    if (p >= alpha) return null;
    return {
      reason: `${count} orders from this customer in 24 h against a usual ${rate.toFixed(2)} a day (chance ${p.toExponential(1)})`,
      evidence: { count, dailyRate: rate, p },
    };
  },
});

/** The order rules the scorer runs unless configuration replaces them. */
export const DEFAULT_ORDER_RULES: readonly OrderRule[] = [
  fastCheckoutRule as OrderRule,
  newAccountRule as OrderRule,
  sharedDeviceRule,
  sharedIpRule,
  sharedEmailRule,
  sharedPaymentRule,
  sharedAddressRule,
  keyBurstRule as OrderRule,
  valueOutlierRule as OrderRule,
  customerValueJumpRule as OrderRule,
  customerVelocityRule as OrderRule,
  ...ACCOUNT_TAKEOVER_RULES,
];
