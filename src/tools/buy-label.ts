import { z } from 'zod';
import { sharedCarriers } from '../config/shared-carriers.js';
import { DomainError } from '../domain/domain-error.js';
import { centsToNumeric, toCents } from '../domain/money.js';
import { loadOrder } from '../domain/orders/order-repository.js';
import { fulfilOrder } from '../domain/shipping/fulfil-order.js';
import { fulfilmentRefusal } from '../domain/shipping/fulfilment-refusal.js';
import { quoteOrderRates, type PartQuote } from '../domain/shipping/quote-order-rates.js';
import type { Db } from '../db/db.js';
import { withCarrierFailure } from './carrier-failure.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool, type PurePreview } from './tool.js';

const input = z.object({
  order_id: orderIdArg,
  max_amount: z
    .number()
    .nonnegative()
    .optional()
    .describe('The most the labels may cost in all; filled in with the quoted total when omitted, so a later price rise is refused rather than bought.'),
});

/** The labels the call would buy, quoted now; refuses what fulfilOrder would refuse. */
async function quoteFor(db: Db, parts: PartQuote[], orderId: string): Promise<{ parts: PartQuote[]; totalCents: number }> {
  const order = await loadOrder(db, orderId);
  if (!order) throw new DomainError('not_found', 'order_not_found', `order ${orderId} not found`);
  if (parts.length) {
    const refusal = fulfilmentRefusal(order);
    if (refusal) throw new DomainError('conflict', 'not_fulfillable', refusal);
  }
  const missing = parts.find((p) => !p.chosen);
  if (missing) throw new DomainError('conflict', 'no_rate', `no carrier quoted the order's service level from ${missing.locationId}`);
  return { parts, totalCents: parts.reduce((s, p) => s + toCents(p.chosen!.amount), 0) };
}

export const buyLabel = defineTool({
  name: 'buy_label',
  description:
    "Buys the shipping labels an order still needs (one per location it ships from, the cheapest quote meeting its service level and promised date) and moves it to processed; see quote_rates for the prices first. Buying is idempotent: a label already bought is never bought again. When the labels cost more than the configured amount in total, the call waits for a staff approval (showing the quote) and returns a pending approval. Refuses held, unpaid, unrouted or closed orders.",
  tier: 'write',
  input,
  subject: (args) => ({ orderId: args.order_id }),
  policy: {
    // The order row is the lock fulfilment takes before it creates shipments.
    lock: async (args, tx) => {
      await loadOrder(tx, args.order_id, { forUpdate: true });
    },
    async check(args, ctx) {
      const { totalCents } = await withCarrierFailure(async () => quoteFor(ctx.db, await quoteOrderRates(ctx.db, sharedCarriers(ctx.config), args.order_id), args.order_id));
      // The run (now, or after an approval of this quote) is bound to the price checked here:
      // the args are what the approval stores and what run receives.
      args.max_amount ??= Number(centsToNumeric(totalCents));
      const limit = toCents(ctx.config.LABEL_APPROVAL_AMOUNT);
      return totalCents > limit ? `labels for order ${args.order_id} cost ${centsToNumeric(totalCents)}, over the ${centsToNumeric(limit)} limit` : null;
    },
  },
  async preview(args, ctx): Promise<PurePreview> {
    const { parts, totalCents } = await withCarrierFailure(async () => quoteFor(ctx.db, await quoteOrderRates(ctx.db, sharedCarriers(ctx.config), args.order_id), args.order_id));
    const lines = parts.map((p) => `${p.chosen!.carrier} ${p.chosen!.service} from ${p.locationId}: ${p.chosen!.amount.toFixed(2)} ${p.chosen!.currency}`);
    return {
      summary: parts.length
        ? `buy ${parts.length} label(s) for order ${args.order_id}, ${centsToNumeric(totalCents)} in all (${lines.join('; ')})`
        : `order ${args.order_id} has every label already; nothing to buy`,
      changes: parts.map((p) => ({
        field: p.shipmentId === null ? `label from ${p.locationId}` : `label of shipment ${p.shipmentId}`,
        before: null,
        after: `${p.chosen!.account} ${p.chosen!.service} ${p.chosen!.amount.toFixed(2)} ${p.chosen!.currency}`,
      })),
      money: parts.map((p) => ({ amount: p.chosen!.amount, direction: 'charge' as const })),
    };
  },
  async run(args, ctx) {
    const cap = args.max_amount === undefined ? {} : { maxTotal: { cents: toCents(args.max_amount), what: 'approved quote' } };
    const r = await withCarrierFailure(() => fulfilOrder(ctx.db, sharedCarriers(ctx.config), args.order_id, ctx.actor, cap));
    return {
      order_id: r.orderId,
      status: r.status,
      labels_bought: r.labelsBought,
      shipments: r.shipments.map((s) => ({
        shipment_id: s.id,
        location_id: s.locationId,
        carrier: s.carrier,
        service: s.service,
        tracking_number: s.trackingNumber,
        amount: s.rateAmount,
        currency: s.rateCurrency,
      })),
    };
  },
});
