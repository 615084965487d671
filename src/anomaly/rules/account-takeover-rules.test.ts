import { describe, expect, it } from 'vitest';
import { emptyCustomerHistory, emptyWindowCounts, type CounterSnapshot, type GeoPoint, type KeyCounts, type OrderObservation } from '../feature-counters.js';
import { nearestPlaceKm, placeDistanceKm } from '../place-distance-km.js';
import { assessRisk } from '../risk-score.js';
import { robustBaseline } from '../stats/robust-z.js';
import {
  accountTakeoverRule,
  avsMismatchRule,
  billingShippingDistanceRule,
  cvvMismatchRule,
  farNewAddressRule,
  newDeviceAndIpRule,
} from './account-takeover-rules.js';
import type { AnomalyRule, RuleArgs } from './anomaly-rule.js';
import { DEFAULT_ORDER_RULES } from './default-order-rules.js';
import { orderRiskFeatures, type OrderRiskFeatures } from './order-risk-features.js';

const AT = new Date('2025-06-02T12:00:00Z');
const NEW_YORK: GeoPoint = { latitude: 40.75, longitude: -73.99, country: 'US', precise: true };
const BROOKLYN: GeoPoint = { latitude: 40.68, longitude: -73.94, country: 'US', precise: true };
const LOS_ANGELES: GeoPoint = { latitude: 34.05, longitude: -118.24, country: 'US', precise: true };
const US_CENTROID: GeoPoint = { latitude: 39.8, longitude: -98.6, country: 'US', precise: false };
const FRANCE: GeoPoint = { latitude: 46.6, longitude: 2.4, country: 'FR', precise: false };

const keys = (accountOrders: number): KeyCounts => ({ otherAccounts: 0, accountOrders, orders: emptyWindowCounts(), otherAccountsIn: emptyWindowCounts() });

interface Change {
  /** A device and an IP the account never used (else its own, used on every earlier order). */
  newAccess?: boolean;
  shipTo?: GeoPoint;
  billTo?: GeoPoint;
  valueCents?: number;
  avs?: string;
  cvv?: string;
  earlierOrders?: number;
}

/** An established customer (5 orders of about $50 to New York from one device and IP), then one order with `c` changed. */
function features(c: Change = {}): OrderRiskFeatures {
  const shipTo = c.shipTo ?? NEW_YORK;
  const earlier = c.earlierOrders ?? 5;
  const order: OrderObservation = {
    orderId: 'o9',
    accountId: 'c1',
    channel: 'shopify',
    at: AT,
    valueCents: c.valueCents ?? 5000,
    keys: { device: 'd', ip: 'i', address: 'a' },
    shipTo,
    billTo: c.billTo ?? shipTo,
    avsResult: c.avs ?? null,
    cvvResult: c.cvv ?? null,
  };
  const counts: CounterSnapshot = {
    keys: {
      device: keys(c.newAccess ? 0 : earlier),
      ip: keys(c.newAccess ? 0 : earlier),
      address: keys(shipTo === NEW_YORK ? earlier : 0),
    },
    customer: {
      ...emptyCustomerHistory(),
      orders: earlier,
      recentValuesCents: Array.from({ length: earlier }, (_, i) => 4500 + i * 250),
      firstOrderAt: earlier ? new Date(AT.getTime() - 200 * 86_400_000) : null,
      knownPlaces: earlier ? [NEW_YORK] : [],
    },
    channel: robustBaseline([]),
  };
  return orderRiskFeatures(order, counts);
}

const hit = (rule: AnomalyRule<OrderRiskFeatures, RuleArgs>, f: OrderRiskFeatures) => rule.check(f, rule.args);
const rule = <A extends RuleArgs>(r: AnomalyRule<OrderRiskFeatures, A>) => r as unknown as AnomalyRule<OrderRiskFeatures, RuleArgs>;

describe('place distances', () => {
  it('measures postal points, and countries apart, but not a centroid against a place in its own country', () => {
    expect(placeDistanceKm(NEW_YORK, LOS_ANGELES)).toBeGreaterThan(3900);
    expect(placeDistanceKm(NEW_YORK, FRANCE)).toBeGreaterThan(5000);
    expect(placeDistanceKm(NEW_YORK, US_CENTROID)).toBeNull();
  });
  it('takes the nearest known place, and gives up when one cannot be measured', () => {
    expect(nearestPlaceKm(BROOKLYN, [LOS_ANGELES, NEW_YORK])).toBeLessThan(15);
    expect(nearestPlaceKm(LOS_ANGELES, [NEW_YORK, US_CENTROID])).toBeNull();
    expect(nearestPlaceKm(LOS_ANGELES, [])).toBeNull();
  });
});

describe('new_device_and_ip', () => {
  it('fires when an established customer comes from a device and an IP they never used', () => {
    expect(hit(rule(newDeviceAndIpRule), features({ newAccess: true }))?.reason).toBe('new device and new IP address for a customer with 5 earlier orders');
  });
  it('does not fire on the usual device, or for a customer with one earlier order', () => {
    expect(hit(rule(newDeviceAndIpRule), features())).toBeNull();
    expect(hit(rule(newDeviceAndIpRule), features({ newAccess: true, earlierOrders: 1 }))).toBeNull();
  });
});

describe('far_new_address', () => {
  it('fires on a new address far from every known one', () => {
    expect(hit(rule(farNewAddressRule), features({ shipTo: LOS_ANGELES }))?.reason).toMatch(/^ships to an address new for this customer, 3,9\d\d km from the nearest of 1 known address$/);
  });
  it('does not fire on a new address nearby, on the known address, or when the distance is unknown', () => {
    expect(hit(rule(farNewAddressRule), features({ shipTo: BROOKLYN }))).toBeNull();
    expect(hit(rule(farNewAddressRule), features())).toBeNull();
    expect(hit(rule(farNewAddressRule), features({ shipTo: US_CENTROID }))).toBeNull();
  });
});

describe('billing_shipping_distance', () => {
  it('fires when the order ships far from the billing address', () => {
    expect(hit(rule(billingShippingDistanceRule), features({ shipTo: LOS_ANGELES, billTo: NEW_YORK }))?.reason).toMatch(/km from the billing address \(limit 500 km\)/);
  });
  it('does not fire when billing and shipping are close or the same', () => {
    expect(hit(rule(billingShippingDistanceRule), features({ shipTo: BROOKLYN, billTo: NEW_YORK }))).toBeNull();
    expect(hit(rule(billingShippingDistanceRule), features({ shipTo: LOS_ANGELES }))).toBeNull();
  });
});

describe('avs_mismatch and cvv_mismatch', () => {
  it('fire on a failed address check and a wrong card code', () => {
    expect(hit(rule(avsMismatchRule), features({ avs: 'N' }))?.reason).toBe('address verification failed (AVS N)');
    expect(hit(rule(cvvMismatchRule), features({ cvv: 'N' }))?.reason).toBe('card security code did not match (CVV N)');
  });
  it('do not fire on a match, a partial match, an unavailable result, or none', () => {
    for (const avs of ['Y', 'Z', 'A', 'U']) expect(hit(rule(avsMismatchRule), features({ avs }))).toBeNull();
    for (const cvv of ['M', 'P', 'U']) expect(hit(rule(cvvMismatchRule), features({ cvv }))).toBeNull();
    expect(hit(rule(avsMismatchRule), features())).toBeNull();
  });
});

describe('account_takeover', () => {
  it('fires at full strength on three kinds of signal and names each', () => {
    const h = hit(rule(accountTakeoverRule), features({ newAccess: true, shipTo: LOS_ANGELES, valueCents: 30_000 }));
    expect(h?.strength).toBe(1);
    expect(h?.reason).toMatch(/^possible account takeover, 3 signals on an established account: new device and new IP address .*; ships to an address new .*; basket \$300\.00 is 6\.0× this customer's usual \$50\.00$/);
  });
  it('fires at half strength on two kinds, e.g. a new device and a failed card check', () => {
    const h = hit(rule(accountTakeoverRule), features({ newAccess: true, cvv: 'N' }));
    expect(h?.strength).toBe(0.5);
    expect(h?.reason).toContain('card security code did not match');
  });
  it('does not fire on one kind of signal: a move, a gift (new far address billed at home), a big basket, a new phone', () => {
    expect(hit(rule(accountTakeoverRule), features({ shipTo: LOS_ANGELES }))).toBeNull();
    expect(hit(rule(accountTakeoverRule), features({ shipTo: LOS_ANGELES, billTo: NEW_YORK }))).toBeNull();
    expect(hit(rule(accountTakeoverRule), features({ valueCents: 40_000 }))).toBeNull();
    expect(hit(rule(accountTakeoverRule), features({ newAccess: true }))).toBeNull();
  });
  it('does not fire for a customer without history, whatever changed', () => {
    expect(hit(rule(accountTakeoverRule), features({ earlierOrders: 0, newAccess: true, shipTo: LOS_ANGELES, billTo: NEW_YORK, avs: 'N' }))).toBeNull();
  });
});

describe('takeover scores with the default rules', () => {
  const score = (c: Change) => assessRisk(features(c), DEFAULT_ORDER_RULES).score;
  it('holds a takeover (new device and IP, far new address, big basket)', () => {
    expect(score({ newAccess: true, shipTo: LOS_ANGELES, billTo: NEW_YORK, valueCents: 30_000 })).toBeGreaterThanOrEqual(90);
  });
  it('leaves one signal alone on a repeat customer below the review threshold', () => {
    for (const c of [{ shipTo: LOS_ANGELES }, { shipTo: LOS_ANGELES, billTo: NEW_YORK }, { newAccess: true }, { cvv: 'N' }, { avs: 'N' }]) {
      expect(score(c)).toBeLessThan(50);
    }
  });
});
