import { describe, expect, it } from 'vitest';
import { emptyCustomerHistory, emptyWindowCounts, type CounterSnapshot, type KeyCounts, type OrderObservation } from '../feature-counters.js';
import { assessRisk } from '../risk-score.js';
import { robustBaseline } from '../stats/robust-z.js';
import { configureRule } from './anomaly-rule.js';
import {
  DEFAULT_ORDER_RULES,
  customerValueJumpRule,
  customerVelocityRule,
  fastCheckoutRule,
  keyBurstRule,
  newAccountRule,
  sharedAddressRule,
  sharedDeviceRule,
  sharedEmailRule,
  sharedIpRule,
  sharedPaymentRule,
  valueOutlierRule,
} from './default-order-rules.js';
import { orderRiskFeatures, type OrderRiskFeatures } from './order-risk-features.js';

const AT = new Date('2025-06-02T12:00:00Z');

function order(over: Partial<OrderObservation> = {}): OrderObservation {
  return { orderId: 'o1', accountId: 'c1', channel: 'shopify', at: AT, valueCents: 5000, accountCreatedAt: null, keys: {}, ...over };
}

function quietCounts(): CounterSnapshot {
  return {
    keys: {},
    customer: emptyCustomerHistory(),
    channel: robustBaseline([]),
  };
}

function keyCounts(over: Partial<KeyCounts> = {}): KeyCounts {
  return { otherAccounts: 0, accountOrders: 0, orders: emptyWindowCounts(), otherAccountsIn: emptyWindowCounts(), ...over };
}

function features(o: Partial<OrderObservation> = {}, c: (s: CounterSnapshot) => void = () => {}): OrderRiskFeatures {
  const counts = quietCounts();
  c(counts);
  return orderRiskFeatures(order(o), counts);
}

const fires = (rule: { check: (f: OrderRiskFeatures, a: never) => unknown; args: unknown }, f: OrderRiskFeatures) =>
  rule.check(f, rule.args as never) !== null;

describe('fast_checkout', () => {
  it('fires when the purchase comes seconds after sign-up', () => {
    const f = features({ accountCreatedAt: new Date(AT.getTime() - 20_000) });
    const hit = fastCheckoutRule.check(f, fastCheckoutRule.args);
    expect(hit?.reason).toContain('20 s after the account was created');
  });
  it('does not fire for an older account or when the account age is unknown', () => {
    expect(fires(fastCheckoutRule, features({ accountCreatedAt: new Date(AT.getTime() - 3_600_000) }))).toBe(false);
    expect(fires(fastCheckoutRule, features())).toBe(false);
  });
});

describe('new_account', () => {
  it('fires for an account younger than a day', () => {
    expect(fires(newAccountRule, features({ accountCreatedAt: new Date(AT.getTime() - 5 * 3_600_000) }))).toBe(true);
  });
  it('does not fire for a week-old account', () => {
    expect(fires(newAccountRule, features({ accountCreatedAt: new Date(AT.getTime() - 7 * 86_400_000) }))).toBe(false);
  });
});

describe.each([
  ['device', sharedDeviceRule, 1],
  ['ip', sharedIpRule, 1],
  ['email', sharedEmailRule, 1],
  ['payment', sharedPaymentRule, 1],
  ['address', sharedAddressRule, 3],
] as const)('shared %s', (kind, rule, min) => {
  it(`fires when ${min} other account(s) used the ${kind}`, () => {
    const f = features({}, (c) => (c.keys[kind] = keyCounts({ otherAccounts: min })));
    expect(rule.check(f, rule.args)?.reason).toMatch(/already used by \d+ other account/);
  });
  it('does not fire below the limit or without the key', () => {
    expect(fires(rule, features({}, (c) => (c.keys[kind] = keyCounts({ otherAccounts: min - 1 }))))).toBe(false);
    expect(fires(rule, features())).toBe(false);
  });
});

describe('key_burst', () => {
  it('fires on several orders from one device within the hour', () => {
    const f = features({}, (c) => (c.keys.device = keyCounts({ orders: { '1h': 3, '24h': 3, '30d': 3 } })));
    expect(keyBurstRule.check(f, keyBurstRule.args)?.reason).toContain('4 orders from one device within an hour');
  });
  it('does not fire on a second order from the device', () => {
    const f = features({}, (c) => (c.keys.device = keyCounts({ orders: { '1h': 0, '24h': 1, '30d': 1 } })));
    expect(fires(keyBurstRule, f)).toBe(false);
  });
});

describe('value_outlier', () => {
  const history = Array.from({ length: 100 }, (_, i) => 4000 + (i % 20) * 100);
  it('fires on an order far above the channel median', () => {
    const f = features({ valueCents: 90_000 }, (c) => (c.channel = robustBaseline(history)));
    const hit = valueOutlierRule.check(f, valueOutlierRule.args);
    expect(hit?.reason).toContain('robust deviations above the shopify median');
  });
  it('does not fire on a usual order or with too little history', () => {
    expect(fires(valueOutlierRule, features({ valueCents: 5500 }, (c) => (c.channel = robustBaseline(history))))).toBe(false);
    expect(fires(valueOutlierRule, features({ valueCents: 90_000 }, (c) => (c.channel = robustBaseline(history.slice(0, 5)))))).toBe(false);
  });
});

describe('customer_value_jump', () => {
  const regular = (c: CounterSnapshot) =>
    (c.customer = { ...c.customer, orders: 4, recentValuesCents: [2000, 2500, 2200, 2100], firstOrderAt: new Date(AT.getTime() - 90 * 86_400_000) });
  it("fires at many times the customer's usual value", () => {
    expect(customerValueJumpRule.check(features({ valueCents: 30_000 }, regular), customerValueJumpRule.args)?.reason).toContain("this customer's usual");
  });
  it('does not fire on a usual order or for a new customer', () => {
    expect(fires(customerValueJumpRule, features({ valueCents: 2600 }, regular))).toBe(false);
    expect(fires(customerValueJumpRule, features({ valueCents: 30_000 }))).toBe(false);
  });
});

describe('customer_velocity', () => {
  const history = (ordersToday: number) => (c: CounterSnapshot) =>
    (c.customer = {
      ...c.customer,
      orders: 10 + ordersToday,
      firstOrderAt: new Date(AT.getTime() - 100 * 86_400_000),
      ordersIn: { '1h': 0, '24h': ordersToday, '30d': ordersToday + 3 },
    });
  it('fires when a customer suddenly orders many times in a day', () => {
    expect(customerVelocityRule.check(features({}, history(5)), customerVelocityRule.args)?.reason).toContain('6 orders from this customer in 24 h');
  });
  it('does not fire on a second order the same day', () => {
    expect(fires(customerVelocityRule, features({}, history(1)))).toBe(false);
  });
});

describe('risk score', () => {
  it('is zero with no rule firing, and one strong rule reaches the hold range', () => {
    expect(assessRisk(features(), DEFAULT_ORDER_RULES).score).toBe(0);
    const r = assessRisk(features({ accountCreatedAt: AT }), DEFAULT_ORDER_RULES);
    expect(r.score).toBeGreaterThanOrEqual(90);
    expect(r.fired.map((f) => f.code)).toEqual(['fast_checkout', 'new_account']);
  });
  it('adds weak evidence without passing 100', () => {
    const r = assessRisk(
      features({}, (c) => {
        c.keys.device = keyCounts({ otherAccounts: 2 });
        c.keys.ip = keyCounts({ otherAccounts: 2 });
      }),
      DEFAULT_ORDER_RULES,
    );
    expect(r.score).toBeGreaterThan(60);
    expect(r.score).toBeLessThan(100);
  });
  it('takes configured arguments and weights', () => {
    const strict = configureRule(fastCheckoutRule, { args: { maxSeconds: 5 }, weight: 0.5 });
    expect(fires(strict, features({ accountCreatedAt: new Date(AT.getTime() - 20_000) }))).toBe(false);
    expect(assessRisk(features({ accountCreatedAt: AT }), [strict]).score).toBe(50);
  });
});
