import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { getVariant, type VariantRecord } from '../catalog/catalog-repository.js';
import { DomainError } from '../domain-error.js';
import type { Cents } from '../money.js';
import { adjustGiftCardBalance } from '../payments/adjust-gift-card-balance.js';
import { appendPayments } from '../payments/append-payment.js';
import { findCustomerPaymentMethod } from '../payments/payment-method-repository.js';
import { holdsReservations, rerouteOrderLines } from '../routing/reroute-order-lines.js';
import { DEFAULT_ROUTING_SETTINGS, type RoutingSettings } from '../routing/routing-settings.js';
import { labelledPartRefusal } from '../shipping/labelled-part-refusal.js';
import { firstMissingItem, orderItemIds } from './first-missing-item.js';
import { loadOrder, type OrderLine, type OrderRecord } from './order-repository.js';
import { transitionOrder } from './order-state-machine.js';
import { itemNotFound, itemsCountMismatch, newItemUnavailable, orderNotFound, paymentMethodNotFound } from './retail-operation-errors.js';

export interface ModifyPendingOrderItemsArgs {
  orderId: string;
  /** Items to swap, by variant id; `itemIds[i]` becomes `newItemIds[i]`. */
  itemIds: string[];
  newItemIds: string[];
  /** Charged the price difference, or refunded it when the new items are cheaper. */
  paymentMethodId: string;
}

/**
 * Swaps items of a `pending` order for other available variants of the same products, settles
 * the price difference on one of the customer's methods and marks the order
 * `pending (item modified)`, after which it cannot be modified or cancelled again.
 */
export async function modifyPendingOrderItems(
  db: Db,
  args: ModifyPendingOrderItemsArgs,
  actor: Actor,
  options: { routing?: RoutingSettings } = {},
): Promise<OrderRecord> {
  return db.transaction(async (tx) => {
    const order = await loadOrder(tx, args.orderId, { forUpdate: true });
    if (!order) throw orderNotFound();
    if (order.status !== 'pending') throw new DomainError('conflict', 'order_not_pending', 'non-pending order cannot be modified');
    const labelled = await labelledPartRefusal(tx, order.id);
    if (labelled) throw new DomainError('conflict', 'order_partly_labelled', labelled);
    const missing = firstMissingItem(args.itemIds, orderItemIds(order.lines));
    if (missing !== null) throw itemNotFound(missing);
    if (args.itemIds.length !== args.newItemIds.length) throw itemsCountMismatch();

    let diff: Cents = 0;
    const variants: VariantRecord[] = [];
    for (let i = 0; i < args.itemIds.length; i++) {
      const line = order.lines.find((l) => l.variantId === args.itemIds[i])!;
      const variant = await getVariant(tx, args.newItemIds[i]!);
      if (!variant || variant.productId !== line.productId || !variant.available) throw newItemUnavailable(args.newItemIds[i]!);
      diff += variant.priceCents - line.priceCents;
      variants.push(variant);
    }
    const method = await findCustomerPaymentMethod(tx, order.customerId, args.paymentMethodId, { forUpdate: true });
    if (!method) throw paymentMethodNotFound();
    if (method.source === 'gift_card' && (method.balanceCents ?? 0) < diff) {
      throw new DomainError('insufficient', 'insufficient_gift_card_balance', 'insufficient gift card balance to pay for the new item');
    }

    await appendPayments(
      tx,
      order.id,
      [{ kind: diff > 0 ? 'payment' : 'refund', amountCents: Math.abs(diff), paymentMethodId: method.id }],
      actor,
    );
    if (method.source === 'gift_card') {
      await adjustGiftCardBalance(tx, method.id, -diff, actor, { orderId: order.id, reason: 'order items modified' });
    }
    const held = await holdsReservations(tx, order.id);
    await swapLines(tx, order.id, order.lines, args.itemIds, variants);
    // An order that holds stock is routed again for its new lines; imported history holds none and is left alone.
    if (held) await rerouteOrderLines(tx, order.id, 'lines_changed', actor, { settings: options.routing ?? DEFAULT_ROUTING_SETTINGS });
    await recordAudit(tx, actor, {
      action: 'order.items_modified',
      entityType: 'order',
      entityId: order.id,
      data: { itemIds: args.itemIds, newItemIds: args.newItemIds, priceDifferenceCents: diff, paymentMethodId: method.id },
    });
    await transitionOrder(tx, order.id, { to: 'pending (item modified)', actor, reason: 'items modified' });
    return (await loadOrder(tx, order.id))!;
  });
}

/**
 * Renames, pair by pair, the first unit whose current variant is the old one (so a unit renamed
 * by an earlier pair can be picked again, as in the reference). A unit taken out of a line with
 * quantity above one becomes a line of its own at the end.
 */
async function swapLines(tx: Db, orderId: string, lines: OrderLine[], oldIds: string[], variants: VariantRecord[]): Promise<void> {
  const units = lines.flatMap((l) => Array.from({ length: l.quantity }, () => ({ line: l, variantId: l.variantId, variant: null as VariantRecord | null })));
  oldIds.forEach((oldId, i) => {
    const unit = units.find((u) => u.variantId === oldId)!;
    unit.variantId = variants[i]!.id;
    unit.variant = variants[i]!;
  });
  let nextPosition = Math.max(-1, ...lines.map((l) => l.position)) + 1;
  for (const line of lines) {
    const changed = units.filter((u) => u.line === line && u.variant !== null);
    if (changed.length === 0) continue;
    // A line keeps its id (reservations point at it) when all its units change; units split
    // off a line of several become lines of their own.
    const remaining = line.quantity - changed.length;
    const inPlace = remaining === 0 ? changed.shift()! : null;
    if (inPlace) {
      await tx.query(
        'UPDATE order_lines SET variant_id = $2, price = $3::numeric / 100, options = $4, quantity = 1 WHERE id = $1',
        [line.id, inPlace.variant!.id, inPlace.variant!.priceCents, JSON.stringify(inPlace.variant!.options)],
      );
    } else {
      await tx.query('UPDATE order_lines SET quantity = $2 WHERE id = $1', [line.id, remaining]);
    }
    for (const u of changed) {
      await tx.query(
        `INSERT INTO order_lines (order_id, position, product_id, variant_id, name, options, price, quantity, location_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::numeric / 100, 1, $8)`,
        [orderId, nextPosition++, line.productId, u.variant!.id, line.name, JSON.stringify(u.variant!.options), u.variant!.priceCents, line.locationId],
      );
    }
  }
}
