import type { Db } from '../../db/db.js';
import { hashedDigits } from '../hashed-digits.js';
import { writeOutbox } from '../events/write-outbox.js';
import { actorLabel, type Actor } from '../actor.js';
import type { AuditEntry } from '../audit/audit-log.js';
import { DomainError, isDomainError } from '../domain-error.js';
import { reserveUnderLock } from '../inventory/reserve.js';
import { centsToNumeric, fromCents, toCents, type Cents } from '../money.js';
import { adjustGiftCardBalance } from '../payments/adjust-gift-card-balance.js';
import { findCustomerPaymentMethod, type PaymentSource } from '../payments/payment-method-repository.js';
import type { RoutingExplanation } from '../routing/decide-routing.js';
import { routingInputsColumns, routingInputsOf, type RoutingInputsRow } from '../routing/read-routing-inputs.js';
import {
  buildRoutingOrder,
  quoteRoutingCandidates,
  routeOrderStock,
  routingOrderOf,
  ROUTING_VARIANT_COLUMNS,
  type RoutingRequest,
  type RoutingVariantRow,
} from '../routing/route-order-stock.js';
import { DEFAULT_ROUTING_SETTINGS, type RoutingSettings } from '../routing/routing-settings.js';
import type { ShippingQuote } from '../routing/shipping-quoter.js';
import type { CanonicalOrder } from './canonical-order.js';
import { holdOrder } from './hold-order.js';
import { OrderInputError } from './order-input-error.js';
import { orderTotal } from './order-total.js';
import { serviceLevelOf } from './service-level-of-shipping.js';
import { loadOrder, toRecord, type OrderRecord, type OrderRow } from './order-repository.js';

export interface CreateOrderOptions {
  /** Routing defaults, quoter and clock; DEFAULT_ROUTING_SETTINGS when omitted. */
  routing?: RoutingSettings;
}

export interface CreateOrderResult {
  /** False when (channel, external_id) was already in the ledger; nothing was written then. */
  created: boolean;
  order: OrderRecord;
}

export interface PlaceOrderResult extends CreateOrderResult {
  /** Why this call put the order on hold, each as "field: reason"; empty when it did not (or on a repeat). */
  holds: string[];
}

/**
 * What to do with an order the ledger cannot take as it stands: `refuse` it (the API's caller
 * can correct and resend) or `hold` it (a storefront already took the buyer's money).
 */
export type IntakePolicy = 'refuse' | 'hold';

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

// A channel's unit price this far from ours (as a share of ours) is a disagreement worth a look:
// sales and rounding stay inside it, a wrong variant map or a mistyped price does not.
const PRICE_TOLERANCE = 0.5;

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
  const { created, order: stored } = await placeOrder(db, order, actor, options, 'refuse');
  return { created, order: stored };
}

/**
 * createOrder with a choice of what an unknown SKU or variant, a missing address, a price or
 * total we disagree with, or stock that cannot be routed does: `refuse` throws as createOrder
 * does; `hold` takes the order in anyway, `on_hold` with every reason, unknown lines kept on the
 * order reserving nothing, and an `order.held_on_intake` event.
 */
export async function placeOrder(
  db: Db,
  order: CanonicalOrder,
  actor: Actor,
  options: CreateOrderOptions,
  policy: IntakePolicy,
): Promise<PlaceOrderResult> {
  if (policy === 'refuse' && !order.shipping_address && order.lines.some(requiresShipping)) {
    throw new OrderInputError('incomplete_order', [{ path: 'shipping_address', message: 'is required' }]);
  }
  const settings = options.routing ?? DEFAULT_ROUTING_SETTINGS;
  // Carrier quotes are fetched here, before the transaction: never while stock is locked.
  const quotes = await quotesBeforeLocking(db, order, settings);
  let routing: RoutingMode = 'unlocked';
  for (let attempt = 1; ; attempt++) {
    try {
      const written = await db.transaction((tx) => writeOrder(tx, order, actor, settings, quotes, attempt, policy, routing));
      const stored = written.order ?? (await loadOrder(db, written.orderId));
      if (!stored) throw new Error(`order ${written.orderId} vanished after it was written`);
      return { created: written.created, order: stored, holds: written.holds };
    } catch (err) {
      if (err instanceof StaleRouting) {
        routing = 'locked';
        continue;
      }
      const code = (err as { code?: unknown }).code;
      if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}

/**
 * `unlocked`: route on stock as last committed, write everything, then lock the levels and check
 * the decision still holds just before COMMIT, so the locks are held for that check and one
 * insert. `locked`: lock the levels before routing, as a retry does when that check failed.
 */
type RoutingMode = 'unlocked' | 'locked';

/** The stock routing decided on was taken by another order before the lock: start over locked. */
class StaleRouting extends Error {}

type InputLine = CanonicalOrder['lines'][number];

const requiresShipping = (l: InputLine) => l.requires_shipping !== false && l.gift_card !== true;

/** Something the ledger does not know or agree with; `refusable` ones are what `refuse` throws on. */
interface IntakeProblem {
  code: string;
  path: string;
  message: string;
  refusable: boolean;
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
  totalDiscountCents: Cents;
  requiresShipping: boolean;
  giftCard: boolean;
  externalLineId: string | null;
  externalVariantId: string | null;
  routing: RoutingVariantRow;
}

/** A line no variant of ours matches, kept as the channel sent it. */
interface LooseLine {
  index: number;
  line: InputLine;
  reason: string | null;
}

interface Lines {
  matched: ResolvedLine[];
  /** Shippable lines with no variant: they hold the order. */
  unmatched: LooseLine[];
  /** Gift cards and services with no variant: charged, never stocked. */
  nonStock: LooseLine[];
  problems: IntakeProblem[];
}

interface KnownCustomer {
  id: string;
  tags: string[];
  /** Their first payment method of the order's source; null when they have none. */
  payment_method_id: string | null;
}

interface Written {
  orderId: string;
  created: boolean;
  holds: string[];
  /** The order as written, when nothing changed it after its insert. */
  order?: OrderRecord;
}

async function writeOrder(
  tx: Db,
  input: CanonicalOrder,
  actor: Actor,
  settings: RoutingSettings,
  quotes: Map<string, ShippingQuote | null> | undefined,
  attempt: number,
  policy: IntakePolicy,
  routingMode: RoutingMode,
): Promise<Written> {
  // One read for what intake needs to know first: a repeat, the catalog rows, the buyer.
  const source = SOURCE_OF[input.payment.method];
  const skus = [...new Set(input.lines.flatMap((l) => (l.sku ? [l.sku] : [])))];
  // Routing's inputs come in the same read (for the SKUs' variants), so routing on unlocked stock
  // costs no round trip of its own; with the locks taken first they are read again under them.
  const intake = await tx.query<{ existing: string | null; customer: KnownCustomer | null; variants: CatalogMatch[] } & RoutingInputsRow>(
    `SELECT (SELECT id FROM orders WHERE channel = $1 AND external_id = $2) AS existing,
            (SELECT jsonb_build_object('id', c.id, 'tags', to_jsonb(c.tags), 'payment_method_id',
                      (SELECT pm.id FROM payment_methods pm WHERE pm.customer_id = c.id AND pm.source = $4 ORDER BY pm.seq LIMIT 1))
               FROM customers c WHERE lower(c.email) = lower($3) LIMIT 1) AS customer,
            COALESCE((SELECT jsonb_agg(to_jsonb(m)) FROM (${CATALOG_SELECT} WHERE v.sku = ANY($5::text[])) m), '[]'::jsonb) AS variants,
            ${routingMode === 'unlocked' ? routingInputsColumns('ARRAY(SELECT id FROM variants WHERE sku = ANY($5::text[]))') : 'NULL AS routing_levels'}`,
    [input.channel, input.external_id, input.customer.email, source, skus],
  );
  const known = intake.rows[0]!;
  if (known.existing) return { orderId: known.existing, created: false, holds: [] };

  const { matched, unmatched, nonStock, problems } = await resolveLines(tx, input, known.variants);
  const throwRefusable = (codeFallback: string) => {
    const refused = problems.filter((p) => p.refusable);
    if (policy === 'refuse' && refused.length > 0) {
      throw new OrderInputError(refused[0]?.code ?? codeFallback, refused.map(({ path, message }) => ({ path, message })));
    }
  };
  throwRefusable('unknown_sku');

  const loose = [...unmatched, ...nonStock].map(({ line }) => ({
    quantity: line.quantity,
    unitPriceCents: line.unit_price === undefined ? 0 : toCents(line.unit_price),
    totalDiscountCents: toCents(line.total_discount ?? 0),
  }));
  const totals = orderTotal(
    [...matched.map((l) => ({ quantity: l.quantity, unitPriceCents: l.priceCents, totalDiscountCents: l.totalDiscountCents })), ...loose],
    input,
  );
  const totalCents = totals.totalCents;
  if (input.payment.amount !== undefined && toCents(input.payment.amount) !== totalCents) {
    problems.push({
      code: 'payment_amount_mismatch',
      path: 'payment.amount',
      message: `${input.payment.amount.toFixed(2)} does not match the order total ${fromCents(totalCents).toFixed(2)}`,
      refusable: true,
    });
    throwRefusable('payment_amount_mismatch');
  }
  // An order the channel has not been paid for must never reach fulfilment, whatever the policy says.
  if (input.payment.captured === false) {
    problems.push({
      code: 'payment_not_captured',
      path: 'payment.captured',
      message: `not paid in ${input.channel} yet: ${input.payment.status ?? 'unpaid'}`,
      refusable: true,
    });
    throwRefusable('payment_not_captured');
  }
  const shippable = [...matched.filter((l) => l.requiresShipping), ...unmatched];
  if (!input.shipping_address && shippable.length > 0) {
    problems.push({ code: 'incomplete_order', path: 'shipping_address', message: 'is missing and a line requires shipping', refusable: true });
    throwRefusable('incomplete_order');
  }
  // What the channel charged is what was paid, even when we disagree with it.
  const paidCents = input.payment.amount !== undefined ? toCents(input.payment.amount) : totalCents;

  const audits: AuditEntry[] = [];
  const buyer = known.customer
    ? { id: known.customer.id, created: false, tags: known.customer.tags, paymentMethodId: known.customer.payment_method_id }
    : await insertCustomer(tx, input, source, audits);
  const paymentMethodId = await resolvePaymentMethod(tx, input, buyer.id, paidCents, audits, buyer.paymentMethodId);
  const serviceLevel = serviceLevelOf(input);
  const routed = matched.filter((l) => l.requiresShipping);
  let decision: RoutingExplanation | null = null;
  if (input.shipping_address && routed.length > 0) {
    const routingOrder = routingOrderOf(
      {
        ...routingRequestOf(input, buyer.tags),
        lines: routed.map((l) => ({ key: String(l.index), variantId: l.variantId, quantity: l.quantity, priceCents: l.priceCents })),
      },
      routed.map((l) => l.routing),
    );
    const readBySku = new Set(known.variants.map((v: CatalogMatch) => v.id));
    const preread = known.routing_levels && routed.every((l) => readBySku.has(l.variantId)) ? routingInputsOf(known) : undefined;
    const route = (unlocked: boolean) =>
      routeOrderStock(tx, routingOrder, { settings, ...(quotes ? { quotes } : {}), unlocked, ...(unlocked && preread ? { inputs: preread } : {}) });
    try {
      try {
        decision = await route(routingMode === 'unlocked');
      } catch (err) {
        // A refusal is only ever given on what the locks show, as before.
        if (routingMode === 'locked' || !isDomainError(err) || err.type !== 'insufficient') throw err;
        decision = await route(false);
      }
    } catch (err) {
      if (policy === 'refuse' || !isDomainError(err) || err.type !== 'insufficient') throw err;
      problems.push({ code: err.code, path: 'lines', message: err.message, refusable: true });
    }
  }
  const allocations = decision ? allocationsOf(decision) : [];

  // A line routing split across locations becomes one order line per location, so every
  // line ships from exactly one place. Lines not routed (no address, nothing to ship, no
  // stock on a held order) are kept whole, at no location, reserving nothing.
  const byIndex = new Map(matched.map((l) => [String(l.index), l]));
  const routedParts = allocations.map((alloc) => ({ line: byIndex.get(alloc.lineKey)!, alloc }));
  const routedKeys = new Set(allocations.map((alloc) => alloc.lineKey));
  const unrouted = matched
    .filter((l) => !routedKeys.has(String(l.index)))
    .map((line) => ({ line, alloc: { lineKey: String(line.index), locationId: null, quantity: 0, backordered: 0 } }));
  const rows = [...routedParts, ...unrouted]
    .sort((x, y) => x.line.index - y.line.index)
    .map((r, position) => ({ ...r, position }));
  const discounted = new Set<number>();
  const lineRows = rows.map(({ line, alloc, position }) => {
    // A split line's discount is kept once, on its first part.
    const firstPart = !discounted.has(line.index);
    discounted.add(line.index);
    return {
      position,
      product_id: line.productId,
      variant_id: line.variantId,
      name: line.name,
      options: line.options,
      price: centsToNumeric(line.priceCents),
      quantity: alloc.locationId === null ? line.quantity : alloc.quantity + alloc.backordered,
      location_id: alloc.locationId,
      backordered: alloc.backordered,
      requires_shipping: line.requiresShipping,
      gift_card: line.giftCard,
      total_discount: centsToNumeric(firstPart ? line.totalDiscountCents : 0),
      external_line_id: line.externalLineId,
      external_variant_id: line.externalVariantId,
      sku: line.sku,
    };
  });
  const payment = { kind: 'payment' as const, amountCents: paidCents, paymentMethodId };

  const writeWith = (orderId: string) => {
    const orderAudits: AuditEntry[] = [
      // A new order's payments ledger starts at position 0.
      { action: 'order.payments_appended', entityType: 'order', entityId: orderId, data: { entries: [{ position: 0, ...payment }] } },
      {
        action: 'order.created',
        entityType: 'order',
        entityId: orderId,
        data: {
          channel: input.channel,
          externalId: input.external_id,
          customerId: buyer.id,
          customerCreated: buyer.created,
          total: fromCents(totalCents),
          paymentMethodId,
          allocations: rows.map(({ line, alloc }) => ({
            sku: line.sku,
            locationId: alloc.locationId,
            quantity: alloc.locationId === null ? 0 : alloc.quantity,
            ...(alloc.backordered > 0 ? { backordered: alloc.backordered } : {}),
          })),
          ...(unmatched.length > 0 ? { unmatchedLines: unmatched.length } : {}),
        },
      },
    ];
    return insertOrder(tx, {
      orderId,
      customerId: buyer.id,
      input,
      serviceLevel,
      unmatched,
      nonStock,
      lineRows,
      decision,
      payment,
      eventReason: `received from ${input.channel} as ${input.external_id}`,
      actor,
      outbox: [
        {
          topic: 'order.created',
          payload: {
            orderId,
            channel: input.channel,
            externalId: input.external_id,
            customerId: buyer.id,
            total: fromCents(totalCents),
            currency: input.currency ?? 'USD',
          },
        },
      ],
      audits: [...audits, ...orderAudits],
    });
  };
  // The first candidate id is tried in the insert itself; only when it is taken are ids probed.
  let written = await writeWith(orderIdAt(input, attempt - 1));
  if (!written) {
    written = await writeWith(await freeOrderId(tx, input, attempt));
    if (!written) throw Object.assign(new Error('the order id was taken concurrently'), { code: '23505' });
  }
  const orderId = written.id;
  const lineIdAt = new Map(written.lines.map((l) => [l.position, l.id]));

  if (input.payment.method === 'gift_card') {
    await adjustGiftCardBalance(tx, paymentMethodId, -paidCents, actor, { orderId, reason: `payment for order ${orderId}` });
  }
  const holds = policy === 'hold' ? problems.map((p) => `${p.path}: ${p.message}`) : [];
  if (holds.length > 0) {
    await holdOrder(tx, { orderId, reason: holds.join('; ') }, actor);
    await writeOutbox(tx, 'order.held_on_intake', {
      orderId,
      channel: input.channel,
      externalId: input.external_id,
      reasons: problems.map(({ code, path, message }) => ({ code, path, message })),
    });
  }

  // Last, just before COMMIT: lock the levels (in variant, location order), check that what
  // routing decided on is still there, reserve.
  try {
    await reserveUnderLock(tx, {
      orderId,
      actor,
      keepSafetyStock: true,
      items: rows
        .filter(({ alloc }) => alloc.locationId !== null && alloc.quantity > 0)
        .map(({ line, alloc, position }) => ({
          variantId: line.variantId,
          locationId: alloc.locationId!,
          quantity: alloc.quantity,
          orderLineId: lineIdAt.get(position)!,
          sku: line.sku,
        })),
    });
  } catch (err) {
    if (routingMode === 'unlocked' && isDomainError(err) && err.code === 'insufficient_stock') throw new StaleRouting(err.message);
    throw err;
  }
  return { orderId, created: true, holds, ...(holds.length > 0 ? {} : { order: toRecord(written) }) };
}

interface OrderInsert {
  orderId: string;
  customerId: string;
  input: CanonicalOrder;
  serviceLevel: string;
  unmatched: LooseLine[];
  nonStock: LooseLine[];
  lineRows: Record<string, unknown>[];
  decision: RoutingExplanation | null;
  payment: { kind: 'payment'; amountCents: Cents; paymentMethodId: string };
  eventReason: string;
  actor: Actor;
  outbox: { topic: string; payload: Record<string, unknown> }[];
  audits: AuditEntry[];
}

/**
 * The order, its lines, routing decision, first payment, first event, outbox events and audit
 * rows in one statement, returning the order as loadOrder reads it; null when the id is taken.
 */
async function insertOrder(tx: Db, w: OrderInsert): Promise<OrderRow | null> {
  const { input, decision, actor } = w;
  const { rows } = await tx.query<OrderRow>(
    `WITH o AS (
       INSERT INTO orders (id, customer_id, channel, external_id, status, currency, address1, address2, city, state,
                           country, zip, email, placed_at, client, service_level, billing_address, shipping_lines,
                           discounts, taxes, note, tags, unmatched_lines, non_stock_lines, promised_delivery_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($13::timestamptz, now()), $14, $15,
               $16, $17, $18, $19, $20, $21, $22, $23, $24::timestamptz)
       ON CONFLICT (id) DO NOTHING
       RETURNING *
     ), l AS (
       INSERT INTO order_lines (order_id, position, product_id, variant_id, name, options, price, quantity, location_id,
                                backordered_quantity, requires_shipping, gift_card, total_discount, external_line_id,
                                external_variant_id)
       SELECT o.id, r.position, r.product_id, r.variant_id, r.name, r.options, r.price, r.quantity, r.location_id, r.backordered,
              r.requires_shipping, r.gift_card, r.total_discount, r.external_line_id, r.external_variant_id
         FROM o, jsonb_to_recordset($25::jsonb) AS r(position int, product_id text, variant_id text, name text,
              options jsonb, price numeric, quantity int, location_id text, backordered int, requires_shipping boolean,
              gift_card boolean, total_discount numeric, external_line_id text, external_variant_id text)
       RETURNING *
     ), d AS (
       INSERT INTO routing_decisions (order_id, trigger, strategy, explanation, promised_delivery_at, actor)
       SELECT o.id, 'created', $26, $27::jsonb, $24::timestamptz, $31 FROM o WHERE $26::text IS NOT NULL
     ), p AS (
       INSERT INTO payments (order_id, position, kind, amount, payment_method_id)
       SELECT o.id, 0, $28, $29::numeric, $30 FROM o
       RETURNING *
     ), e AS (
       INSERT INTO order_events (order_id, from_status, to_status, reason, actor) SELECT o.id, NULL, 'pending', $32, $31 FROM o
     ), x AS (
       INSERT INTO outbox (topic, payload)
       SELECT t.topic, t.payload FROM o, ROWS FROM (jsonb_to_recordset($33::jsonb) AS (topic text, payload jsonb)) WITH ORDINALITY AS t(topic, payload, ord)
        ORDER BY t.ord
     ), a AS (
       INSERT INTO audit_log (actor_kind, actor_id, on_behalf_of, action, entity_type, entity_id, data)
       SELECT $34, $35, $36, t.action, t.entity_type, t.entity_id, t.data
         FROM o, ROWS FROM (jsonb_to_recordset($37::jsonb) AS (action text, entity_type text, entity_id text, data jsonb))
              WITH ORDINALITY AS t(action, entity_type, entity_id, data, ord)
        ORDER BY t.ord
     )
     SELECT o.*,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('id', l.id, 'position', l.position, 'product_id', l.product_id,
                        'variant_id', l.variant_id, 'sku', r.sku, 'name', l.name, 'options', l.options, 'price', l.price::text,
                        'quantity', l.quantity, 'location_id', l.location_id, 'requires_shipping', l.requires_shipping,
                        'gift_card', l.gift_card, 'total_discount', l.total_discount::text, 'external_line_id', l.external_line_id,
                        'external_variant_id', l.external_variant_id) ORDER BY l.position)
                      FROM l JOIN jsonb_to_recordset($25::jsonb) AS r(position int, sku text) ON r.position = l.position), '[]'::jsonb) AS lines,
            '[]'::jsonb AS shipments,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('position', p.position, 'kind', p.kind, 'amount', p.amount::text,
                        'payment_method_id', p.payment_method_id, 'created_at', p.created_at) ORDER BY p.position) FROM p), '[]'::jsonb) AS payments
       FROM o`,
    [
      w.orderId,
      w.customerId,
      input.channel,
      input.external_id,
      input.currency ?? 'USD',
      ...addressColumns(input.shipping_address),
      input.customer.email,
      input.placed_at ?? null,
      input.client ? JSON.stringify(input.client) : null,
      w.serviceLevel,
      input.billing_address ? JSON.stringify(input.billing_address) : null,
      JSON.stringify(input.shipping_lines ?? []),
      JSON.stringify(input.discounts ?? []),
      JSON.stringify(input.taxes ?? []),
      input.note ?? null,
      input.tags ?? [],
      JSON.stringify(w.unmatched.map(looseLineOf)),
      JSON.stringify(w.nonStock.map(looseLineOf)),
      decision?.promisedDeliveryAt ?? null,
      JSON.stringify(w.lineRows),
      decision?.strategy ?? null,
      decision ? JSON.stringify(decision) : null,
      w.payment.kind,
      centsToNumeric(w.payment.amountCents),
      w.payment.paymentMethodId,
      actorLabel(actor),
      w.eventReason,
      JSON.stringify(w.outbox),
      actor.kind,
      actor.id,
      actor.onBehalfOf ?? null,
      JSON.stringify(w.audits.map((a) => ({ action: a.action, entity_type: a.entityType, entity_id: a.entityId, data: a.data ?? {} }))),
    ],
  );
  return rows[0] ?? null;
}

/** address1, address2, city, state, country, zip; blank when the channel sent no address. */
const addressColumns = (a: CanonicalOrder['shipping_address']) =>
  [a?.address1, a?.address2, a?.city, a?.state, a?.country, a?.zip].map((v) => v ?? '');

const looseLineOf = ({ index, line, reason }: LooseLine) => ({ index, ...line, ...(reason ? { reason } : {}) });

function routingRequestOf(input: CanonicalOrder, tags: string[]): Omit<RoutingRequest, 'lines'> {
  const a = input.shipping_address;
  return {
    destination: { country: a?.country ?? '', state: a?.state ?? '', zip: a?.zip ?? '' },
    serviceLevel: serviceLevelOf(input),
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
  input: CanonicalOrder,
  settings: RoutingSettings,
): Promise<Map<string, ShippingQuote | null> | undefined> {
  if (settings.quoter.code === 'estimate' || !input.shipping_address) return undefined;
  const shippable = input.lines.filter(requiresShipping);
  const { rows } = await db.query<{ id: string; sku: string; price: string; tags: string[] | null }>(
    `SELECT v.id, v.sku, v.price::text AS price,
            (SELECT c.tags FROM customers c WHERE lower(c.email) = lower($2) LIMIT 1) AS tags
       FROM variants v WHERE v.sku = ANY($1::text[])`,
    [shippable.flatMap((l) => (l.sku ? [l.sku] : [])), input.customer.email],
  );
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  const known = shippable.flatMap((l) => {
    const v = l.sku ? bySku.get(l.sku) : undefined;
    return v ? [{ key: String(input.lines.indexOf(l)), variantId: v.id, quantity: l.quantity, priceCents: toCents(l.unit_price ?? v.price) }] : [];
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

interface CatalogMatch extends RoutingVariantRow {
  product_id: string;
  name: string;
  options: Record<string, string>;
  price: string;
  available: boolean;
}

const CATALOG_SELECT = `SELECT ${ROUTING_VARIANT_COLUMNS}, v.product_id, p.name, v.options, v.price::text AS price, v.available
  FROM variants v JOIN products p ON p.id = v.product_id`;

/**
 * Each line's variant: through the channel's variant map when the line carries the channel's
 * variant id, else by SKU (`bySkuRows`: the catalog rows of the order's SKUs). What matches
 * nothing is sorted into unmatched (shippable) and non-stock lines, with the problems found on the way.
 */
async function resolveLines(tx: Db, input: CanonicalOrder, bySkuRows: CatalogMatch[]): Promise<Lines> {
  const externalIds = [...new Set(input.lines.flatMap((l) => (l.external_variant_id ? [l.external_variant_id] : [])))];
  const mapped = new Map<string, CatalogMatch>();
  if (externalIds.length > 0) {
    const { rows } = await tx.query<CatalogMatch & { external_variant_id: string }>(
      `SELECT cv.external_variant_id, m.* FROM channel_variants cv JOIN (${CATALOG_SELECT}) m ON m.id = cv.variant_id
        WHERE cv.channel = $1 AND cv.external_variant_id = ANY($2::text[])`,
      [input.channel, externalIds],
    );
    for (const r of rows) mapped.set(r.external_variant_id, r);
  }
  const bySku = new Map(bySkuRows.map((r) => [r.sku, r]));

  const result: Lines = { matched: [], unmatched: [], nonStock: [], problems: [] };
  input.lines.forEach((line, index) => {
    const v = (line.external_variant_id ? mapped.get(line.external_variant_id) : undefined) ?? (line.sku ? bySku.get(line.sku) : undefined);
    if (!v) {
      if (!requiresShipping(line)) {
        result.nonStock.push({ index, line, reason: null });
        return;
      }
      const problem = line.sku
        ? { path: `lines.${index}.sku`, message: `unknown SKU ${line.sku}` }
        : { path: `lines.${index}.external_variant_id`, message: `${input.channel} variant ${line.external_variant_id} is not mapped to a variant of ours` };
      result.problems.push({ code: 'unknown_sku', ...problem, refusable: true });
      result.unmatched.push({ index, line, reason: problem.message });
      return;
    }
    if (!v.available) {
      result.problems.push({ code: 'unknown_sku', path: `lines.${index}.sku`, message: `SKU ${v.sku} is not for sale`, refusable: true });
    }
    const catalogCents = toCents(v.price);
    const priceCents = line.unit_price !== undefined ? toCents(line.unit_price) : catalogCents;
    if (Math.abs(priceCents - catalogCents) > catalogCents * PRICE_TOLERANCE) {
      // The API's caller sets its own prices; only a channel's is second-guessed.
      result.problems.push({
        code: 'price_disagreement',
        path: `lines.${index}.unit_price`,
        message: `${fromCents(priceCents).toFixed(2)} is far from the catalog price ${fromCents(catalogCents).toFixed(2)} of SKU ${v.sku}`,
        refusable: false,
      });
    }
    result.matched.push({
      index,
      variantId: v.id,
      productId: v.product_id,
      sku: v.sku,
      name: v.name,
      options: v.options,
      priceCents,
      quantity: line.quantity,
      totalDiscountCents: toCents(line.total_discount ?? 0),
      requiresShipping: requiresShipping(line),
      giftCard: line.gift_card === true,
      externalLineId: line.external_line_id ?? null,
      externalVariantId: line.external_variant_id ?? null,
      routing: v,
    });
  });
  return result;
}

interface Buyer {
  id: string;
  created: boolean;
  tags: string[];
  /** Their first payment method of the order's source, when known; null when they have none. */
  paymentMethodId: string | null | undefined;
}

const customerIdOf = (c: CanonicalOrder['customer'], probe: number) =>
  `${slug(c.first_name)}_${slug(c.last_name)}_${hashedDigits(`${c.email.toLowerCase()}#${probe}`, 4)}`;
const paymentMethodIdOf = (customerId: string, source: PaymentSource, probe: number) =>
  `${source}_${hashedDigits(`${customerId}#${source}#${probe}`, 7)}`;

/**
 * A buyer the ledger does not know yet, with the payment method of the order's source when one
 * is made here, in one statement; taken the long way (upsertCustomer) when a concurrent order
 * from the same buyer or a taken id got there first.
 */
async function insertCustomer(tx: Db, input: CanonicalOrder, source: PaymentSource, audits: AuditEntry[]): Promise<Buyer> {
  const c = input.customer;
  const id = customerIdOf(c, 0);
  const makesMethod = !input.payment.payment_method_id && source !== 'gift_card';
  const methodId = makesMethod ? paymentMethodIdOf(id, source, 0) : null;
  const { rows } = await tx.query<{ id: string | null; payment_method_id: string | null }>(
    `WITH c AS (
       INSERT INTO customers (id, first_name, last_name, email, phone, address1, address2, city, state, country, zip, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12::timestamptz, now()))
       ON CONFLICT DO NOTHING RETURNING id
     ), m AS (
       INSERT INTO payment_methods (id, customer_id, source) SELECT $13, c.id, $14 FROM c WHERE $13::text IS NOT NULL
       ON CONFLICT DO NOTHING RETURNING id
     )
     SELECT (SELECT id FROM c) AS id, (SELECT id FROM m) AS payment_method_id`,
    [id, c.first_name, c.last_name, c.email, c.phone ?? null, ...addressColumns(input.shipping_address ?? input.billing_address),
      c.created_at ?? input.client?.account_created_at ?? null, methodId, source],
  );
  if (!rows[0]?.id) {
    const found = await upsertCustomer(tx, input, audits);
    return { ...found, tags: await customerTags(tx, found.id), paymentMethodId: undefined };
  }
  audits.push({ action: 'customer.created', entityType: 'customer', entityId: id, data: { email: c.email, channel: input.channel } });
  const paymentMethodId = rows[0].payment_method_id;
  if (paymentMethodId) {
    audits.push({ action: 'payment_method.created', entityType: 'payment_method', entityId: paymentMethodId, data: { customerId: id, source } });
  }
  // A new customer has no tags and no payment method but the one just made.
  return { id, created: true, tags: [], paymentMethodId: paymentMethodId ?? (makesMethod ? undefined : null) };
}

async function upsertCustomer(tx: Db, input: CanonicalOrder, audits: AuditEntry[]): Promise<{ id: string; created: boolean }> {
  const c = input.customer;
  const found = await tx.query<{ id: string }>('SELECT id FROM customers WHERE lower(email) = lower($1)', [c.email]);
  if (found.rows[0]) return { id: found.rows[0].id, created: false };
  const a = input.shipping_address ?? input.billing_address;
  for (let probe = 0; probe < 20; probe++) {
    const id = customerIdOf(c, probe);
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
        ...addressColumns(a),
        c.created_at ?? input.client?.account_created_at ?? null,
      ],
    );
    if (ins.rows[0]) {
      audits.push({ action: 'customer.created', entityType: 'customer', entityId: id, data: { email: c.email, channel: input.channel } });
      return { id, created: true };
    }
    const again = await tx.query<{ id: string }>('SELECT id FROM customers WHERE lower(email) = lower($1)', [c.email]);
    if (again.rows[0]) return { id: again.rows[0].id, created: false };
  }
  throw new Error(`no free customer id for ${c.email}`);
}

/** `known`: the customer's first method of the source as already read (null: none); undefined reads it. */
async function resolvePaymentMethod(
  tx: Db,
  input: CanonicalOrder,
  customerId: string,
  totalCents: Cents,
  audits: AuditEntry[],
  known: string | null | undefined,
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
  if (known) return known;
  if (known === undefined) {
    const existing = await tx.query<{ id: string }>(
      'SELECT id FROM payment_methods WHERE customer_id = $1 AND source = $2 ORDER BY seq LIMIT 1',
      [customerId, source],
    );
    if (existing.rows[0]) return existing.rows[0].id;
  }
  for (let probe = 0; probe < 20; probe++) {
    const id = paymentMethodIdOf(customerId, source, probe);
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO payment_methods (id, customer_id, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
      [id, customerId, source],
    );
    if (ins.rows[0]) {
      audits.push({ action: 'payment_method.created', entityType: 'payment_method', entityId: id, data: { customerId, source } });
      return id;
    }
  }
  throw new Error(`no free payment method id for ${customerId}`);
}

/** The order id of one probe: `#W` and seven digits derived from (channel, external id). */
const orderIdAt = (input: CanonicalOrder, probe: number) => `#W${hashedDigits(`${input.channel}\u0000${input.external_id}\u0000${probe}`, 7)}`;

/** The first free order id from probe `from` on. */
async function freeOrderId(tx: Db, input: CanonicalOrder, from: number): Promise<string> {
  for (let probe = from; probe < from + 50; probe++) {
    const id = orderIdAt(input, probe);
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
