import { defineRule, type AnomalyRule, type RuleArgs, type RuleHit } from './anomaly-rule.js';
import type { OrderRiskFeatures } from './order-risk-features.js';

type OrderRule = AnomalyRule<OrderRiskFeatures, RuleArgs>;

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const km = (d: number) => `${Math.round(d).toLocaleString('en-US')} km`;
const codes = (list: string) => list.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);

// Each signal on its own is something honest customers do now and then (a new phone, a move, a
// gift, a big shop), so each rule weighs little; `account_takeover` is what weighs when several
// come together on one established account.

function newDeviceAndIp(f: OrderRiskFeatures, minOrders: number): RuleHit | null {
  const { device, ip } = f.counts.keys;
  const orders = f.counts.customer.orders;
  if (orders < minOrders || !device || !ip || device.accountOrders > 0 || ip.accountOrders > 0) return null;
  return {
    reason: `new device and new IP address for a customer with ${orders} earlier orders`,
    evidence: { earlierOrders: orders },
  };
}

function farNewAddress(f: OrderRiskFeatures, minKm: number, minOrders: number): RuleHit | null {
  const address = f.counts.keys.address;
  const orders = f.counts.customer.orders;
  const d = f.nearestKnownPlaceKm;
  if (orders < minOrders || !address || address.accountOrders > 0 || d === null || d < minKm) return null;
  const known = f.counts.customer.knownPlaces.length;
  return {
    reason: `ships to an address new for this customer, ${km(d)} from the nearest of ${known} known address${known === 1 ? '' : 'es'}`,
    evidence: { nearestKnownKm: Math.round(d), knownPlaces: known },
  };
}

function billingFarFromShipping(f: OrderRiskFeatures, minKm: number): RuleHit | null {
  const d = f.billingShippingKm;
  if (d === null || d < minKm) return null;
  return { reason: `shipping address ${km(d)} from the billing address (limit ${km(minKm)})`, evidence: { billingShippingKm: Math.round(d) } };
}

function basketJump(f: OrderRiskFeatures, multiple: number, minOrders: number): RuleHit | null {
  const usual = f.usualValueCents;
  if (f.counts.customer.orders < minOrders || usual === null || !(usual > 0) || f.order.valueCents < usual * multiple) return null;
  return {
    reason: `basket ${money(f.order.valueCents)} is ${(f.order.valueCents / usual).toFixed(1)}× this customer's usual ${money(usual)}`,
    evidence: { usualCents: usual, multiple: f.order.valueCents / usual },
  };
}

function gatewayMismatch(f: OrderRiskFeatures, avsCodes: string, cvvCodes: string): RuleHit | null {
  const avs = f.order.avsResult && codes(avsCodes).includes(f.order.avsResult) ? f.order.avsResult : null;
  const cvv = f.order.cvvResult && codes(cvvCodes).includes(f.order.cvvResult) ? f.order.cvvResult : null;
  if (!avs && !cvv) return null;
  const parts = [avs && `address verification failed (AVS ${avs})`, cvv && `card security code did not match (CVV ${cvv})`];
  return { reason: parts.filter(Boolean).join(' and '), evidence: { avs, cvv } };
}

export const newDeviceAndIpRule = defineRule<OrderRiskFeatures, { minOrders: number }>({
  code: 'new_device_and_ip',
  description: 'An established customer ordered from a device and an IP address neither of which they used before.',
  args: { minOrders: 2 },
  weight: 0.2,
  check: (f, { minOrders }) => newDeviceAndIp(f, minOrders),
});

export const farNewAddressRule = defineRule<OrderRiskFeatures, { minKm: number; minOrders: number }>({
  code: 'far_new_address',
  description: "The shipping address is new for an established customer and far from every address they shipped to before.",
  args: { minKm: 300, minOrders: 2 },
  weight: 0.2,
  check: (f, { minKm, minOrders }) => farNewAddress(f, minKm, minOrders),
});

export const billingShippingDistanceRule = defineRule<OrderRiskFeatures, { minKm: number }>({
  code: 'billing_shipping_distance',
  description: 'The order ships far from the billing address.',
  args: { minKm: 500 },
  weight: 0.15,
  check: (f, { minKm }) => billingFarFromShipping(f, minKm),
});

export const avsMismatchRule = defineRule<OrderRiskFeatures, { codes: string }>({
  code: 'avs_mismatch',
  description: "The payment gateway's address verification matched neither the street nor the postal code.",
  args: { codes: 'N' },
  weight: 0.3,
  check: (f, args) => gatewayMismatch(f, args.codes, ''),
});

export const cvvMismatchRule = defineRule<OrderRiskFeatures, { codes: string }>({
  code: 'cvv_mismatch',
  description: "The card security code the buyer entered did not match the card's.",
  args: { codes: 'N' },
  weight: 0.4,
  check: (f, args) => gatewayMismatch(f, '', args.codes),
});

type TakeoverArgs = {
  minOrders: number;
  farKm: number;
  billingKm: number;
  basketMultiple: number;
  avsCodes: string;
  cvvCodes: string;
};

/**
 * Several takeover signals on one established account. Signals that tell the same story count
 * once: a far new address and a billing address far from it are both "ships somewhere else", as
 * a gift does. Two kinds of signal are worth a look; three or more are worth a hold.
 */
export const accountTakeoverRule = defineRule<OrderRiskFeatures, TakeoverArgs>({
  code: 'account_takeover',
  description:
    'An established customer changed several things at once: a new device and IP, a new far address, a basket several times the usual, a failed card check.',
  args: { minOrders: 2, farKm: 300, billingKm: 500, basketMultiple: 3, avsCodes: 'N', cvvCodes: 'N' },
  weight: 0.92,
  check: (f, a) => {
    if (f.counts.customer.orders < a.minOrders) return null;
    const newAddress = !!f.counts.keys.address && f.counts.keys.address.accountOrders === 0;
    const signals = [
      newDeviceAndIp(f, a.minOrders),
      farNewAddress(f, a.farKm, a.minOrders) ?? (newAddress ? billingFarFromShipping(f, a.billingKm) : null),
      basketJump(f, a.basketMultiple, a.minOrders),
      gatewayMismatch(f, a.avsCodes, a.cvvCodes),
    ].filter((s): s is RuleHit => s !== null);
    if (signals.length < 2) return null;
    return {
      reason: `possible account takeover, ${signals.length} signals on an established account: ${signals.map((s) => s.reason).join('; ')}`,
      strength: signals.length >= 3 ? 1 : 0.5,
      evidence: { signals: signals.map((s) => s.reason), earlierOrders: f.counts.customer.orders },
    };
  },
});

/** The takeover rules, in the order the scorer runs them. */
export const ACCOUNT_TAKEOVER_RULES: readonly OrderRule[] = [
  accountTakeoverRule as OrderRule,
  newDeviceAndIpRule as OrderRule,
  farNewAddressRule as OrderRule,
  billingShippingDistanceRule as OrderRule,
  avsMismatchRule as OrderRule,
  cvvMismatchRule as OrderRule,
];
