import type { Db } from '../../db/db.js';
import { hashedDigits } from '../hashed-digits.js';
import { writeOutbox } from '../events/write-outbox.js';
import { actorLabel, type Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { reserveMany } from '../inventory/reserve.js';
import { centsToNumeric, fromCents, toCents, type Cents } from '../money.js';
import { adjustGiftCardBalance } from '../payments/adjust-gift-card-balance.js';
import { appendPayments } from '../payments/append-payment.js';
import { findCustomerPaymentMethod, type PaymentSource } from '../payments/payment-method-repository.js';
import type { RoutingExplanation } from '../routing/decide-routing.js';
import {
  buildRoutingOrder,
  quoteRoutingCandidates,
  recordRoutingDecision,
  routeOrderStock,
  type RoutingRequest,
} from '../routing/route-order-stock.js';
import { DEFAULT_ROUTING_SETTINGS, type RoutingSettings } from '../routing/routing-settings.js';
import type { ShippingQuote } from '../routing/shipping-quoter.js';
import type { CanonicalOrder } from './canonical-order.js';
import { OrderInputError } from './order-input-error.js';
import { loadOrder, type OrderRecord } from './order-repository.js';

export interface CreateOrderOptions {
  /** Routing defaults, quoter and clock; DEFAULT_ROUTING_SETTINGS when omitted. */
  routing?: RoutingSettings;
}

export interface CreateOrderResult {
  /** False when (channel, external_id) was already in the ledger; nothing was written then. */
  created: boolean;
  order: OrderRecord;
}

const SOURCE_OF: Record<CanonicalOrder['payment']['method'], PaymentSource> = {
  card: 'credit_card',
  paypal: 'paypal',
  gift_card: 'gift_card',
};

// Retried when a concurrent writer took the same order id, customer id or external id first,
// or when PostgreSQL broke a lock cycle; each retry starts over in a fresh transaction (or a
// fresh savepoint when the caller already holds one).
const RETRYABLE = new Set(['23505', '40P01', '40001']);
const MAX_ATTEMPTS = 5;

/**
 * Takes one canonical order into the ledger in a single transaction: customer (matched by
 * email, created when new), payment method, order and lines (catalog price when the channel
 * sent none), stock reserved where routing decides (its decision stored), the payment entry, an
 * `order.created` outbox event and audit rows. Idempotent on (channel, external_id): a repeat
 * returns the stored order with `created: false`. Any refusal throws and leaves nothing behind.
 */
export async function createOrder(
  db: Db,
  order: CanonicalOrder,
  actor: Actor,
  options: CreateOrderOptions = {},
): Promise<CreateOrderResult> {
  const input = completeOrderOf(order);
  const settings = options.routing ?? DEFAULT_ROUTING_SETTINGS;
  // Carrier quotes are fetched here, before the transaction: never while stock is locked.
  const quotes = await quotesBeforeLocking(db, input, settings);
  for (let attempt = 1; ; attempt++) {
    try {
      const { orderId, created } = await db.transaction((tx) => writeOrder(tx, input, actor, settings, quotes, attempt));
      const order = await loadOrder(db, orderId);
      if (!order) throw new Error(`order ${orderId} vanished after it was written`);
      return { created, order };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}

/** A canonical order with everything the ledger needs to ship it: an address and a SKU per line. */
type CompleteOrder = Omit<CanonicalOrder, 'shipping_address' | 'lines'> & {
  shipping_address: NonNullable<CanonicalOrder['shipping_address']>;
  lines: (CanonicalOrder['lines'][number] & { sku: string })[];
};

function completeOrderOf(order: CanonicalOrder): CompleteOrder {
  const issues = [
    ...(order.shipping_address ? [] : [{ path: 'shipping_address', message: 'is required' }]),
    ...order.lines.flatMap((l, i) => (l.sku === undefined ? [{ path: `lines.${i}.sku`, message: 'is required' }] : [])),
  ];
  if (issues.length > 0) throw new OrderInputError('incomplete_order', issues);
  return order as CompleteOrder;
}

interface ResolvedLine {
  index: number;
  variantId: string;
  productId: string;
  sku: string;
  name: string;
  options: Record<string, string>;
  priceCents: Cents;
  quantity: number;
}

async function writeOrder(
  tx: Db,
  input: CompleteOrder,
  actor: Actor,
  settings: RoutingSettings,
  quotes: Map<string, ShippingQuote | null> | undefined,
  attempt: number,
): Promise<{ orderId: string; created: boolean }> {
  const existing = await tx.query<{ id: string }>(
    'SELECT id FROM orders WHERE channel = $1 AND external_id = $2',
    [input.channel, input.external_id],
  );
  if (existing.rows[0]) return { orderId: existing.rows[0].id, created: false };

  const lines = await resolveLines(tx, input);
  const totalCents = lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0);
  if (input.payment.amount !== undefined && toCents(input.payment.amount) !== totalCents) {
    throw new OrderInputError('payment_amount_mismatch', [
      {
        path: 'payment.amount',
        message: `${input.payment.amount.toFixed(2)} does not match the order total ${fromCents(totalCents).toFixed(2)}`,
      },
    ]);
  }

  const customer = await upsertCustomer(tx, input, actor);
  const paymentMethodId = await resolvePaymentMethod(tx, input, customer.id, totalCents, actor);
  const routingOrder = await buildRoutingOrder(tx, {
    ...routingRequestOf(input, await customerTags(tx, customer.id)),
    lines: lines.map((l) => ({ key: String(l.index), variantId: l.variantId, quantity: l.quantity, priceCents: l.priceCents })),
  });
  const decision = await routeOrderStock(tx, routingOrder, { settings, ...(quotes ? { quotes } : {}) });
  const allocations = allocationsOf(decision);

  const orderId = await freeOrderId(tx, input, attempt);
  const a = input.shipping_address;
  await tx.query(
    `INSERT INTO orders (id, customer_id, channel, external_id, status, currency, address1, address2, city, state,
                         country, zip, email, placed_at, client, service_level)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($13::timestamptz, now()), $14, $15)`,
    [
      orderId,
      customer.id,
      input.channel,
      input.external_id,
      input.currency ?? 'USD',
      a.address1,
      a.address2 ?? '',
      a.city,
      a.state,
      a.country,
      a.zip,
      input.customer.email,
      input.placed_at ?? null,
      input.client ? JSON.stringify(input.client) : null,
      routingOrder.serviceLevel,
    ],
  );

  // A line routing split across locations becomes one order line per location, so every
  // line ships from exactly one place.
  const byIndex = new Map(lines.map((l) => [String(l.index), l]));
  const rows = allocations.map((alloc, position) => ({ line: byIndex.get(alloc.lineKey)!, alloc, position }));
  const inserted = await tx.query<{ id: number; position: number }>(
    `INSERT INTO order_lines (order_id, position, product_id, variant_id, name, options, price, quantity, location_id,
                              backordered_quantity)
     SELECT $1, r.position, r.product_id, r.variant_id, r.name, r.options, r.price, r.quantity, r.location_id, r.backordered
       FROM jsonb_to_recordset($2::jsonb) AS r(position int, product_id text, variant_id text, name text,
            options jsonb, price numeric, quantity int, location_id text, backordered int)
     RETURNING id, position`,
    [
      orderId,
      JSON.stringify(
        rows.map(({ line, alloc, position }) => ({
          position,
          product_id: line.productId,
          variant_id: line.variantId,
          name: line.name,
          options: line.options,
          price: centsToNumeric(line.priceCents),
          quantity: alloc.quantity + alloc.backordered,
          location_id: alloc.locationId,
          backordered: alloc.backordered,
        })),
      ),
    ],
  );
  const lineIdAt = new Map(inserted.rows.map((r) => [r.position, r.id]));
  await reserveMany(tx, {
    orderId,
    actor,
    items: rows.filter(({ alloc }) => alloc.quantity > 0).map(({ line, alloc, position }) => ({
      variantId: line.variantId,
      locationId: alloc.locationId,
      quantity: alloc.quantity,
      orderLineId: lineIdAt.get(position)!,
      sku: line.sku,
    })),
  });
  await recordRoutingDecision(tx, orderId, 'created', decision, actor);

  await appendPayments(tx, orderId, [{ kind: 'payment', amountCents: totalCents, paymentMethodId }], actor);
  if (input.payment.method === 'gift_card') {
    await adjustGiftCardBalance(tx, paymentMethodId, -totalCents, actor, { orderId, reason: `payment for order ${orderId}` });
  }
  await tx.query(
    `INSERT INTO order_events (order_id, from_status, to_status, reason, actor) VALUES ($1, NULL, 'pending', $2, $3)`,
    [orderId, `received from ${input.channel} as ${input.external_id}`, actorLabel(actor)],
  );
  await writeOutbox(tx, 'order.created', {
    orderId,
    channel: input.channel,
    externalId: input.external_id,
    customerId: customer.id,
    total: fromCents(totalCents),
    currency: input.currency ?? 'USD',
  });
  await recordAudit(tx, actor, {
    action: 'order.created',
    entityType: 'order',
    entityId: orderId,
    data: {
      channel: input.channel,
      externalId: input.external_id,
      customerId: customer.id,
      customerCreated: customer.created,
      total: fromCents(totalCents),
      paymentMethodId,
      allocations: rows.map(({ line, alloc }) => ({
        sku: line.sku,
        locationId: alloc.locationId,
        quantity: alloc.quantity,
        ...(alloc.backordered > 0 ? { backordered: alloc.backordered } : {}),
      })),
    },
  });
  return { orderId, created: true };
}

function routingRequestOf(input: CompleteOrder, tags: string[]): Omit<RoutingRequest, 'lines'> {
  const a = input.shipping_address;
  return {
    destination: { country: a.country, state: a.state, zip: a.zip },
    serviceLevel: input.service_level ?? 'standard',
    channel: input.channel,
    customerTags: tags,
  };
}

async function customerTags(db: Db, customerId: string): Promise<string[]> {
  const { rows } = await db.query<{ tags: string[] }>('SELECT tags FROM customers WHERE id = $1', [customerId]);
  return rows[0]?.tags ?? [];
}

/** Quotes for the order's candidates when a carrier quoter is wired; undefined with the rate-card estimate. */
async function quotesBeforeLocking(
  db: Db,
  input: CompleteOrder,
  settings: RoutingSettings,
): Promise<Map<string, ShippingQuote | null> | undefined> {
  if (settings.quoter.code === 'estimate') return undefined;
  const { rows } = await db.query<{ id: string; sku: string; price: string; tags: string[] | null }>(
    `SELECT v.id, v.sku, v.price::text AS price,
            (SELECT c.tags FROM customers c WHERE lower(c.email) = lower($2) LIMIT 1) AS tags
       FROM variants v WHERE v.sku = ANY($1::text[])`,
    [input.lines.map((l) => l.sku), input.customer.email],
  );
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  const known = input.lines.flatMap((l, i) => {
    const v = bySku.get(l.sku);
    return v ? [{ key: String(i), variantId: v.id, quantity: l.quantity, priceCents: toCents(l.unit_price ?? v.price) }] : [];
  });
  const order = await buildRoutingOrder(db, { ...routingRequestOf(input, rows[0]?.tags ?? []), lines: known });
  return quoteRoutingCandidates(db, settings, order);
}

/** Every part of the decision as (line, location, reserved units, backordered units). */
function allocationsOf(decision: RoutingExplanation): { lineKey: string; locationId: string; quantity: number; backordered: number }[] {
  return decision.parts.flatMap((p) =>
    p.lines.map((l) => ({ lineKey: l.key, locationId: p.locationId, quantity: l.quantity, backordered: l.backordered })),
  );
}

async function resolveLines(tx: Db, input: CompleteOrder): Promise<ResolvedLine[]> {
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const { rows } = await tx.query<{
    id: string;
    product_id: string;
    sku: string;
    name: string;
    options: Record<string, string>;
    price: string;
    available: boolean;
  }>(
    `SELECT v.id, v.product_id, v.sku, p.name, v.options, v.price::text AS price, v.available
       FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = ANY($1::text[])`,
    [skus],
  );
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  const issues = input.lines.flatMap((line, index) => {
    const v = bySku.get(line.sku);
    if (!v) return [{ path: `lines.${index}.sku`, message: `unknown SKU ${line.sku}` }];
    if (!v.available) return [{ path: `lines.${index}.sku`, message: `SKU ${line.sku} is not for sale` }];
    return [];
  });
  if (issues.length > 0) throw new OrderInputError('unknown_sku', issues);
  return input.lines.map((line, index) => {
    const v = bySku.get(line.sku)!;
    return {
      index,
      variantId: v.id,
      productId: v.product_id,
      sku: v.sku,
      name: v.name,
      options: v.options,
      priceCents: line.unit_price !== undefined ? toCents(line.unit_price) : toCents(v.price),
      quantity: line.quantity,
    };
  });
}

async function upsertCustomer(tx: Db, input: CompleteOrder, actor: Actor): Promise<{ id: string; created: boolean }> {
  const c = input.customer;
  const found = await tx.query<{ id: string }>('SELECT id FROM customers WHERE lower(email) = lower($1)', [c.email]);
  if (found.rows[0]) return { id: found.rows[0].id, created: false };
  const a = input.shipping_address;
  const base = `${slug(c.first_name)}_${slug(c.last_name)}`;
  for (let probe = 0; probe < 20; probe++) {
    const id = `${base}_${hashedDigits(`${c.email.toLowerCase()}#${probe}`, 4)}`;
    // DO NOTHING without a target covers both the id and the email: a concurrent order from
    // the same buyer waits here and then finds the row below.
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO customers (id, first_name, last_name, email, phone, address1, address2, city, state, country, zip, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12::timestamptz, now()))
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        id,
        c.first_name,
        c.last_name,
        c.email,
        c.phone ?? null,
        a.address1,
        a.address2 ?? '',
        a.city,
        a.state,
        a.country,
        a.zip,
        c.created_at ?? input.client?.account_created_at ?? null,
      ],
    );
    if (ins.rows[0]) {
      await recordAudit(tx, actor, {
        action: 'customer.created',
        entityType: 'customer',
        entityId: id,
        data: { email: c.email, channel: input.channel },
      });
      return { id, created: true };
    }
    const again = await tx.query<{ id: string }>('SELECT id FROM customers WHERE lower(email) = lower($1)', [c.email]);
    if (again.rows[0]) return { id: again.rows[0].id, created: false };
  }
  throw new Error(`no free customer id for ${c.email}`);
}

async function resolvePaymentMethod(
  tx: Db,
  input: CompleteOrder,
  customerId: string,
  totalCents: Cents,
  actor: Actor,
): Promise<string> {
  const source = SOURCE_OF[input.payment.method];
  const givenId = input.payment.payment_method_id;
  if (givenId) {
    const method = await findCustomerPaymentMethod(tx, customerId, givenId, { forUpdate: source === 'gift_card' });
    if (!method) {
      throw new OrderInputError('payment_method_not_found', [
        { path: 'payment.payment_method_id', message: `${givenId} is not a payment method of customer ${customerId}` },
      ]);
    }
    if (method.source !== source) {
      throw new OrderInputError('payment_method_mismatch', [
        { path: 'payment.payment_method_id', message: `${givenId} is a ${method.source}, not a ${source}` },
      ]);
    }
    if (source === 'gift_card' && (method.balanceCents ?? 0) < totalCents) {
      throw new DomainError(
        'insufficient',
        'gift_card_balance_insufficient',
        `gift card ${givenId} has ${fromCents(method.balanceCents ?? 0).toFixed(2)}, the order total is ${fromCents(totalCents).toFixed(2)}`,
      );
    }
    return method.id;
  }
  if (source === 'gift_card') {
    throw new OrderInputError('payment_method_required', [
      { path: 'payment.payment_method_id', message: 'is required for gift_card payments (the card to charge)' },
    ]);
  }
  const existing = await tx.query<{ id: string }>(
    'SELECT id FROM payment_methods WHERE customer_id = $1 AND source = $2 ORDER BY seq LIMIT 1',
    [customerId, source],
  );
  if (existing.rows[0]) return existing.rows[0].id;
  for (let probe = 0; probe < 20; probe++) {
    const id = `${source}_${hashedDigits(`${customerId}#${source}#${probe}`, 7)}`;
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO payment_methods (id, customer_id, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
      [id, customerId, source],
    );
    if (ins.rows[0]) {
      await recordAudit(tx, actor, {
        action: 'payment_method.created',
        entityType: 'payment_method',
        entityId: id,
        data: { customerId, source },
      });
      return id;
    }
  }
  throw new Error(`no free payment method id for ${customerId}`);
}

/** `#W` and seven digits derived from (channel, external id), probing on collision. */
async function freeOrderId(tx: Db, input: CompleteOrder, attempt: number): Promise<string> {
  for (let probe = attempt - 1; probe < attempt + 50; probe++) {
    const id = `#W${hashedDigits(`${input.channel}\u0000${input.external_id}\u0000${probe}`, 7)}`;
    const taken = await tx.query('SELECT 1 FROM orders WHERE id = $1', [id]);
    if (taken.rows.length === 0) return id;
  }
  throw new Error(`no free order id for ${input.channel}/${input.external_id}`);
}


function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 20) || 'customer'
  );
}
