import type { Location } from '../domain/inventory/location-repository.js';
import { decideRouting } from '../domain/routing/decide-routing.js';
import { greatCircleKm } from '../domain/routing/great-circle-km.js';
import { postalCoordinates } from '../domain/routing/postal-coordinates.js';
import { centsToNumeric } from '../domain/money.js';
import { transitionRefusal } from '../domain/orders/order-state-machine.js';
import type { OrderStatus } from '../domain/orders/order-status.js';
import {
  CARRIERS,
  CITIES,
  DEMO_LOCATIONS,
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCT_TYPES,
  STREETS,
  USER_AGENTS,
} from './demo-reference-data.js';
import { SeededRandom } from './seeded-random.js';

/** "Now" for the demo store: fixed, so the same seed gives byte-identical data on any day. */
export const DEMO_BASE_DATE = new Date('2025-06-02T16:00:00Z');
export const DEMO_ACTOR = 'system:demo-seed';

export interface DemoOptions {
  seed?: number;
  baseDate?: Date;
  orders?: number;
  customers?: number;
}

type Row = Record<string, unknown>;

/** Every row the demo store consists of, table by table, ready for bulk insertion. */
export interface DemoData {
  locations: Row[];
  products: Row[];
  variants: Row[];
  inventoryLevels: Row[];
  inventoryMovements: Row[];
  customers: Row[];
  paymentMethods: Row[];
  orders: Row[];
  orderLines: Row[];
  reservations: Row[];
  fulfilments: Row[];
  payments: Row[];
  orderEvents: Row[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

interface Variant {
  id: string;
  productId: string;
  name: string;
  sku: string;
  options: Record<string, string>;
  priceCents: number;
  weight: number;
  popularity: number;
}

interface Customer {
  id: string;
  email: string;
  address: { address1: string; address2: string; city: string; state: string; country: string; zip: string };
  createdAt: number;
  devices: { id: string; ip: string; ua: string }[];
  methods: { id: string; source: 'credit_card' | 'paypal' | 'gift_card'; balance: number }[];
  activity: number;
}

/**
 * A variant's parcel in mm: the type's base box scaled by the cube root of its weight against the
 * base weight (a heavier variant is a bigger one), so dimensions need no random draws of their own.
 */
function packedDimensions(base: readonly [number, number, number], weightRatio: number) {
  const k = Math.cbrt(weightRatio);
  const [length_mm, width_mm, height_mm] = base.map((mm) => Math.max(10, Math.round(mm * k)));
  return { length_mm: length_mm!, width_mm: width_mm!, height_mm: height_mm! };
}

/**
 * Builds a consistent store history in memory: catalog, four locations with stock received
 * through movements, customers with payment methods, and orders in every status, each having
 * walked the transition table, with the reservations, sales, fulfilments and payments its status
 * implies. Stock is allocated with the production allocation strategy as the orders arrive.
 */
export function generateDemoData(options: DemoOptions = {}): DemoData {
  const rng = new SeededRandom(options.seed ?? 42);
  const base = (options.baseDate ?? DEMO_BASE_DATE).getTime();
  const orderCount = options.orders ?? 3000;
  const customerCount = options.customers ?? 300;
  const data: DemoData = {
    locations: [],
    products: [],
    variants: [],
    inventoryLevels: [],
    inventoryMovements: [],
    customers: [],
    paymentMethods: [],
    orders: [],
    orderLines: [],
    reservations: [],
    fulfilments: [],
    payments: [],
    orderEvents: [],
  };
  const ids = new Set<string>();
  const uniqueId = (make: () => string) => {
    for (;;) {
      const id = make();
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };

  // Locations and catalog.
  for (const l of DEMO_LOCATIONS) {
    data.locations.push({
      id: l.id, name: l.name, kind: l.kind, region: l.region, country: 'USA', active: true,
      address1: l.address1, city: l.city, state: l.state, zip: l.zip, latitude: l.latitude, longitude: l.longitude,
      services: [...l.services], hazmat: l.hazmat, max_weight_grams: l.maxWeightGrams, cutoff_time: l.cutoffTime,
      time_zone: l.timeZone, handling_days: l.handlingDays, priority: l.priority,
    });
  }
  const variants: Variant[] = [];
  const skus = new Set<string>();
  for (const t of PRODUCT_TYPES) {
    t.lines.forEach((line, lineIndex) => {
      const productId = uniqueId(() => `${rng.int(1, 9)}${rng.digits(9)}`);
      const name = `${line} ${t.type}`;
      data.products.push({
        id: productId,
        name,
        product_type: t.type,
        description: `${name}: ${t.category} range, ${Object.keys(t.options).join(' and ')} options.`,
      });
      const combos = cartesian(t.options);
      for (const options of rng.shuffle(combos).slice(0, 5)) {
        const factor = [1, 1.15, 1.3][lineIndex]! * (0.95 + rng.next() * 0.1);
        const priceCents = Math.max(499, Math.round((t.price * factor) / 100) * 100 - 1);
        let sku = [t.code, line.slice(0, 3).toUpperCase(), ...Object.values(options).map(optionCode)].join('-');
        while (skus.has(sku)) sku = `${sku}X`;
        skus.add(sku);
        const variant: Variant = {
          id: uniqueId(() => `${rng.int(1, 9)}${rng.digits(9)}`),
          productId,
          name,
          sku,
          options,
          priceCents,
          weight: Math.round(t.weight * (0.9 + rng.next() * 0.2)),
          // A few bestsellers and a long tail, as in most stores.
          popularity: 0.2 + rng.next() ** 4 * 10,
        };
        variants.push(variant);
        data.variants.push({
          id: variant.id,
          product_id: productId,
          sku,
          options,
          price: centsToNumeric(priceCents),
          weight_grams: variant.weight,
          ...packedDimensions(t.dims, variant.weight / t.weight),
          available: true,
        });
      }
    });
  }

  // Stock: one receipt per level before the first order, restocks when demand runs it dry.
  const onHand = new Map<string, number>();
  const reserved = new Map<string, number>();
  const key = (v: string, l: string) => `${v}|${l}`;
  const receive = (variantId: string, locationId: string, quantity: number, at: number, reason: string) => {
    const k = key(variantId, locationId);
    if (!onHand.has(k)) onHand.set(k, 0);
    onHand.set(k, onHand.get(k)! + quantity);
    data.inventoryMovements.push({
      variant_id: variantId,
      location_id: locationId,
      quantity,
      kind: 'receipt',
      reason,
      order_id: null,
      actor: DEMO_ACTOR,
      created_at: iso(at),
    });
  };
  const stockedAt = new Map<string, string[]>();
  for (const v of variants) {
    const at: string[] = [];
    for (const l of DEMO_LOCATIONS) {
      const p = l.kind === 'warehouse' ? 0.9 : l.kind === '3pl' ? 0.6 : 0.4;
      if (rng.chance(p)) at.push(l.id);
    }
    if (!at.includes('loc-nj-warehouse') && !at.includes('loc-ca-warehouse')) at.push('loc-nj-warehouse');
    stockedAt.set(v.id, at);
    for (const locationId of at) {
      const l = DEMO_LOCATIONS.find((x) => x.id === locationId)!;
      receive(v.id, locationId, rng.int(l.stock[0], l.stock[1]), base - 100 * DAY + rng.int(0, 5) * HOUR, 'opening stock');
    }
  }

  // Customers.
  const customers: Customer[] = [];
  const emails = new Set<string>();
  for (let i = 0; i < customerCount; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const suffix = rng.digits(4);
    const id = uniqueId(() => `${first.toLowerCase()}_${last.toLowerCase()}_${rng.digits(4)}`);
    let email = `${first}.${last}${suffix}@example.com`.toLowerCase();
    while (emails.has(email)) email = `${first}.${last}${rng.digits(5)}@example.com`.toLowerCase();
    emails.add(email);
    const [city, state, zipPrefix] = rng.pick(CITIES);
    const address = {
      address1: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`,
      address2: rng.chance(0.35) ? `${rng.pick(['Apt', 'Suite', 'Unit'])} ${rng.int(1, 999)}` : '',
      city,
      state,
      country: 'USA',
      zip: `${zipPrefix}${rng.digits(2)}`,
    };
    const createdAt = base - rng.int(20, 1100) * DAY - rng.int(0, 23) * HOUR;
    const devices = Array.from({ length: rng.int(1, 2) }, () => ({
      id: `dev-${rng.digits(12)}`,
      ip: `${rng.pick([24, 67, 73, 98, 104, 172, 184])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      ua: rng.pick(USER_AGENTS),
    }));
    const methods: Customer['methods'] = [];
    if (rng.chance(0.75)) methods.push({ id: uniqueId(() => `credit_card_${rng.digits(7)}`), source: 'credit_card', balance: 0 });
    if (rng.chance(0.4) || methods.length === 0) methods.push({ id: uniqueId(() => `paypal_${rng.digits(7)}`), source: 'paypal', balance: 0 });
    if (rng.chance(0.25)) {
      methods.push({ id: uniqueId(() => `gift_card_${rng.digits(7)}`), source: 'gift_card', balance: rng.int(5, 40) * 1000 });
    }
    const customer: Customer = { id, email, address, createdAt, devices, methods, activity: 0.3 + rng.next() ** 3 * 8 };
    customers.push(customer);
    data.customers.push({
      id,
      first_name: first,
      last_name: last,
      email,
      phone: `+1 555 ${rng.digits(3)} ${rng.digits(4)}`,
      ...address,
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
    });
  }
  const customerWeights = customers.map((c) => [c, c.activity] as const);
  const variantWeights = variants.map((v) => [v, v.popularity] as const);
  // A handful of devices shared by unrelated buyers: the pattern the risk rules look for.
  const sharedDevice = { id: `dev-${rng.digits(12)}`, ip: `185.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, ua: USER_AGENTS[1] };

  // Orders, oldest first.
  const placedTimes = Array.from({ length: orderCount }, () => base - rng.next() ** 1.15 * 90 * DAY).sort((a, b) => a - b);
  let lineId = 0;
  let wooNumber = 10_000;
  for (const placed of placedTimes) {
    const customer = rng.weighted(customerWeights);
    const orderId = uniqueId(() => `#W${rng.digits(7)}`);
    const channel = rng.weighted([['shopify', 60], ['woocommerce', 25], ['api', 10], ['csv', 5]] as const);
    const externalId =
      channel === 'shopify' ? `5${rng.digits(12)}` : channel === 'woocommerce' ? String(++wooNumber) : `${channel}-${rng.digits(8)}`;

    const lineCount = rng.weighted([[1, 50], [2, 30], [3, 15], [4, 5]] as const);
    const picked: Variant[] = [];
    while (picked.length < lineCount) {
      const v = rng.weighted(variantWeights);
      if (!picked.includes(v)) picked.push(v);
    }
    const wanted = picked.map((v, i) => ({
      key: String(i),
      variantId: v.id,
      sku: v.sku,
      quantity: rng.weighted([[1, 85], [2, 12], [3, 3]] as const),
    }));

    let allocation = allocate(wanted, customer.address, new Date(placed), stockedAt, onHand, reserved, key);
    while (!allocation.ok) {
      const shortSku = allocation.sku;
      const short = wanted.find((w) => w.sku === shortSku)!;
      const target = nearestWarehouse(customer.address);
      if (!stockedAt.get(short.variantId)!.includes(target)) stockedAt.get(short.variantId)!.push(target);
      receive(short.variantId, target, rng.int(40, 90), placed - rng.int(2, 20) * HOUR, 'replenishment');
      allocation = allocate(wanted, customer.address, new Date(placed), stockedAt, onHand, reserved, key);
    }

    const lines = allocation.allocations.map((a, position) => {
      const v = picked[Number(a.lineKey)]!;
      return { id: ++lineId, position, variant: v, locationId: a.locationId, quantity: a.quantity };
    });
    const totalCents = lines.reduce((s, l) => s + l.variant.priceCents * l.quantity, 0);

    // Status, and the walk through the transition table that leads to it.
    const age = (base - placed) / DAY;
    let status = pickStatus(rng, age);
    if (status === 'partially_shipped' && lines.length < 2) status = 'shipped';
    const path = pathTo(status);
    const times = [placed];
    for (let i = 1; i < path.length; i++) {
      const step = stepDuration(rng, path[i]!);
      times.push(Math.min(base - (path.length - i) * 60_000, times[i - 1]! + step));
    }
    for (let i = 1; i < times.length; i++) times[i] = Math.max(times[i]!, times[i - 1]! + 60_000);

    const at = (s: OrderStatus) => times[path.indexOf(s)]!;
    const shipsAt = path.includes('shipped') ? at('shipped') : path.includes('partially_shipped') ? at('partially_shipped') : null;
    let shippedLines: typeof lines = [];
    if (status === 'partially_shipped') {
      const firstLocation = lines[0]!.locationId;
      const sameLocation = lines.filter((l) => l.locationId === firstLocation);
      shippedLines = sameLocation.length < lines.length ? sameLocation : lines.slice(0, Math.ceil(lines.length / 2));
    } else if (shipsAt !== null) {
      shippedLines = lines;
    }

    // Payment: a gift card only when it covers the order, as the order service requires.
    const giftCard = customer.methods.find((m) => m.source === 'gift_card' && m.balance >= totalCents);
    const method = giftCard && rng.chance(0.5) ? giftCard : rng.pick(customer.methods.filter((m) => m.source !== 'gift_card'));
    if (method.source === 'gift_card') method.balance -= totalCents;
    data.payments.push({ order_id: orderId, position: 0, kind: 'payment', amount: centsToNumeric(totalCents), payment_method_id: method.id, created_at: iso(placed) });
    if (status === 'cancelled') {
      data.payments.push({ order_id: orderId, position: 1, kind: 'refund', amount: centsToNumeric(totalCents), payment_method_id: method.id, created_at: iso(at('cancelled')) });
      if (method.source === 'gift_card') method.balance += totalCents;
    }

    for (const l of lines) {
      const shipped = shippedLines.includes(l);
      const k = key(l.variant.id, l.locationId);
      data.orderLines.push({
        id: l.id,
        order_id: orderId,
        position: l.position,
        product_id: l.variant.productId,
        variant_id: l.variant.id,
        name: l.variant.name,
        options: l.variant.options,
        price: centsToNumeric(l.variant.priceCents),
        quantity: l.quantity,
        location_id: l.locationId,
      });
      const reservation = {
        variant_id: l.variant.id,
        location_id: l.locationId,
        order_id: orderId,
        order_line_id: l.id,
        quantity: l.quantity,
        created_at: iso(placed),
      };
      if (status === 'cancelled') {
        data.reservations.push({ ...reservation, status: 'released', closed_at: iso(at('cancelled')) });
      } else if (shipped) {
        data.reservations.push({ ...reservation, status: 'fulfilled', closed_at: iso(shipsAt!) });
        onHand.set(k, onHand.get(k)! - l.quantity);
        data.inventoryMovements.push({
          variant_id: l.variant.id,
          location_id: l.locationId,
          quantity: -l.quantity,
          kind: 'sale',
          reason: `shipped for order ${orderId}`,
          order_id: orderId,
          actor: DEMO_ACTOR,
          created_at: iso(shipsAt!),
        });
      } else {
        data.reservations.push({ ...reservation, status: 'active', closed_at: null });
        reserved.set(k, (reserved.get(k) ?? 0) + l.quantity);
      }
    }

    // One parcel per shipping location.
    const byLocation = new Map<string, typeof lines>();
    for (const l of shippedLines) byLocation.set(l.locationId, [...(byLocation.get(l.locationId) ?? []), l]);
    let parcel = 0;
    for (const [locationId, parcelLines] of byLocation) {
      const [carrier, services] = rng.pick(CARRIERS);
      const delivered = path.includes('delivered') ? at('delivered') : null;
      data.fulfilments.push({
        order_id: orderId,
        position: parcel++,
        tracking_ids: [rng.digits(12)],
        item_ids: parcelLines.flatMap((l) => Array.from({ length: l.quantity }, () => l.variant.id)),
        carrier,
        service: rng.pick(services),
        location_id: locationId,
        status: status === 'exception' ? 'exception' : delivered !== null ? 'delivered' : 'shipped',
        promised_at: iso(placed + 5 * DAY),
        shipped_at: iso(shipsAt!),
        delivered_at: delivered !== null ? iso(delivered) : null,
        created_at: iso(shipsAt!),
      });
    }

    path.forEach((to, i) => {
      data.orderEvents.push({
        order_id: orderId,
        from_status: i === 0 ? null : path[i - 1],
        to_status: to,
        reason: i === 0 ? `received from ${channel} as ${externalId}` : transitionReason(to),
        actor: DEMO_ACTOR,
        created_at: iso(times[i]!),
      });
    });

    const device = status === 'on_hold' && rng.chance(0.5) ? sharedDevice : rng.pick(customer.devices);
    const exchangeLine = status === 'exchange requested' ? lines[0]! : null;
    const exchangeTo = exchangeLine ? siblingVariant(rng, variants, exchangeLine.variant) : null;
    const last = times[times.length - 1]!;
    data.orders.push({
      id: orderId,
      customer_id: customer.id,
      channel,
      external_id: externalId,
      status,
      currency: 'USD',
      ...customer.address,
      email: customer.email,
      placed_at: iso(placed),
      status_changed_at: iso(last),
      cancel_reason: status === 'cancelled' ? rng.pick(['no longer needed', 'ordered by mistake']) : null,
      return_items: status === 'return requested' ? [lines[0]!.variant.id] : null,
      return_payment_method_id: status === 'return requested' ? method.id : null,
      exchange_items: exchangeLine ? [exchangeLine.variant.id] : null,
      exchange_new_items: exchangeTo ? [exchangeTo.id] : null,
      exchange_payment_method_id: exchangeLine ? method.id : null,
      exchange_price_difference:
        exchangeLine && exchangeTo ? centsToNumeric(exchangeTo.priceCents - exchangeLine.variant.priceCents) : null,
      hold_reason: status === 'on_hold' ? rng.pick(HOLD_REASONS) : null,
      created_at: iso(placed),
      updated_at: iso(last),
      client: {
        browser_ip: device.ip,
        user_agent: device.ua,
        device_id: device.id,
        account_created_at: iso(customer.createdAt),
      },
    });
  }

  for (const [k, qty] of onHand) {
    const [variantId, locationId] = k.split('|') as [string, string];
    data.inventoryLevels.push({ variant_id: variantId, location_id: locationId, on_hand: qty, updated_at: iso(base) });
  }
  for (const c of customers) {
    for (const m of c.methods) {
      data.paymentMethods.push({
        id: m.id,
        customer_id: c.id,
        source: m.source,
        brand: m.source === 'credit_card' ? rng.pick(['visa', 'mastercard', 'amex', 'discover']) : null,
        last_four: m.source === 'credit_card' ? rng.digits(4) : null,
        balance: m.source === 'gift_card' ? centsToNumeric(m.balance) : null,
      });
    }
  }
  // ISO strings of one format sort as their instants do; plain comparison, not locale rules.
  data.inventoryMovements.sort((a, b) => (String(a.created_at) < String(b.created_at) ? -1 : String(a.created_at) > String(b.created_at) ? 1 : 0));
  return data;
}

const HOLD_REASONS = [
  'risk score 0.82: new device, billing and shipping far apart',
  'risk score 0.77: several orders from one device with different emails',
  'customer asked to hold until they confirm the address',
  'payment verification pending',
] as const;

const DEMO_ROUTING_LOCATIONS: Location[] = DEMO_LOCATIONS.map((l) => ({
  ...l,
  country: 'USA',
  services: [...l.services],
  active: true,
}));

/** The demo routes with the same engine as live orders: no rules, the default strategy, stock as generated so far. */
function allocate(
  wanted: { key: string; variantId: string; sku: string; quantity: number }[],
  address: { country: string; state: string; zip: string },
  now: Date,
  stockedAt: Map<string, string[]>,
  onHand: Map<string, number>,
  reserved: Map<string, number>,
  key: (v: string, l: string) => string,
): { ok: true; allocations: { lineKey: string; locationId: string; quantity: number }[] } | { ok: false; sku: string } {
  const result = decideRouting({
    order: {
      destination: address,
      serviceLevel: 'standard',
      channel: 'demo',
      customerTags: [],
      lines: wanted.map((w) => ({
        ...w,
        priceCents: 0,
        weightGrams: 0,
        lengthMm: 0,
        widthMm: 0,
        heightMm: 0,
        hazmat: false,
        tags: [],
        backorderPolicy: 'deny' as const,
      })),
    },
    locations: DEMO_ROUTING_LOCATIONS,
    stock: wanted.flatMap((w) =>
      stockedAt.get(w.variantId)!.map((locationId) => ({
        variantId: w.variantId,
        locationId,
        units: (onHand.get(key(w.variantId, locationId)) ?? 0) - (reserved.get(key(w.variantId, locationId)) ?? 0),
      })),
    ),
    rules: [],
    defaults: { strategy: 'fewest_shipments', maxSplits: DEMO_LOCATIONS.length },
    now,
  });
  if (!result.ok) return { ok: false, sku: result.sku ?? wanted[0]!.sku };
  return {
    ok: true,
    allocations: result.explanation.parts.flatMap((p) => p.lines.map((l) => ({ lineKey: l.key, locationId: p.locationId, quantity: l.quantity }))),
  };
}

function nearestWarehouse(address: { country: string; zip: string }): string {
  const to = postalCoordinates(address);
  const warehouses = DEMO_LOCATIONS.filter((l) => l.kind === 'warehouse');
  if (!to) return warehouses[0]!.id;
  return [...warehouses].sort((a, b) => greatCircleKm(a, to) - greatCircleKm(b, to))[0]!.id;
}

function pickStatus(rng: SeededRandom, ageDays: number): OrderStatus {
  if (rng.chance(0.06)) return 'cancelled';
  if (ageDays < 0.5) {
    return rng.weighted([['pending', 80], ['on_hold', 10], ['pending (item modified)', 5], ['processed', 5]] as const);
  }
  if (ageDays < 2) {
    return rng.weighted([
      ['processed', 50], ['pending', 12], ['on_hold', 6], ['pending (item modified)', 5], ['partially_shipped', 9], ['shipped', 18],
    ] as const);
  }
  if (ageDays < 6) {
    return rng.weighted([
      ['shipped', 42], ['delivered', 35], ['partially_shipped', 6], ['exception', 6], ['processed', 7], ['pending', 2], ['on_hold', 2],
    ] as const);
  }
  return rng.weighted([
    ['delivered', 87], ['return requested', 4], ['exchange requested', 3], ['exception', 2], ['shipped', 2], ['on_hold', 1], ['processed', 1],
  ] as const);
}

const PATHS: Record<OrderStatus, OrderStatus[]> = {
  pending: ['pending'],
  'pending (item modified)': ['pending', 'pending (item modified)'],
  on_hold: ['pending', 'on_hold'],
  processed: ['pending', 'processed'],
  partially_shipped: ['pending', 'processed', 'partially_shipped'],
  shipped: ['pending', 'processed', 'shipped'],
  delivered: ['pending', 'processed', 'shipped', 'delivered'],
  exception: ['pending', 'processed', 'shipped', 'exception'],
  'return requested': ['pending', 'processed', 'shipped', 'delivered', 'return requested'],
  'exchange requested': ['pending', 'processed', 'shipped', 'delivered', 'exchange requested'],
  cancelled: ['pending', 'cancelled'],
};

/** The statuses an order passes through to reach `status`, each step checked against the table. */
function pathTo(status: OrderStatus): OrderStatus[] {
  const path = PATHS[status];
  for (let i = 1; i < path.length; i++) {
    const refusal = transitionRefusal(path[i - 1]!, path[i]!);
    if (refusal) throw new Error(`demo path to ${status} breaks the transition table: ${refusal}`);
  }
  return path;
}

function stepDuration(rng: SeededRandom, to: OrderStatus): number {
  switch (to) {
    case 'processed':
      return rng.int(1, 8) * HOUR;
    case 'shipped':
    case 'partially_shipped':
      return rng.int(6, 30) * HOUR;
    case 'delivered':
      return rng.int(24, 96) * HOUR;
    case 'exception':
      return rng.int(24, 72) * HOUR;
    case 'return requested':
    case 'exchange requested':
      return rng.int(1, 12) * DAY;
    default:
      return rng.int(1, 20) * HOUR;
  }
}

function transitionReason(to: OrderStatus): string {
  switch (to) {
    case 'processed':
      return 'picked and packed';
    case 'shipped':
      return 'label bought, handed to carrier';
    case 'partially_shipped':
      return 'first parcel handed to carrier';
    case 'delivered':
      return 'carrier reported delivery';
    case 'exception':
      return 'carrier reported an exception';
    case 'cancelled':
      return 'cancelled at customer request';
    case 'on_hold':
      return 'held for review';
    case 'pending (item modified)':
      return 'customer changed an item option';
    default:
      return `customer asked for ${to.replace(' requested', '')}`;
  }
}

function siblingVariant(rng: SeededRandom, variants: Variant[], of: Variant): Variant {
  const siblings = variants.filter((v) => v.productId === of.productId && v.id !== of.id);
  return siblings.length ? rng.pick(siblings) : of;
}

function cartesian(options: Record<string, readonly string[]>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(options)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

function optionCode(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 4) || 'X';
}
