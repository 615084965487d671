import { z } from 'zod';
import { sharedCarriers } from '../config/shared-carriers.js';
import { DomainError } from '../domain/domain-error.js';
import { findShipment, type Shipment } from '../domain/shipping/shipment-repository.js';
import { voidLabel as voidShipmentLabel, voidRefusal } from '../domain/shipping/void-label.js';
import type { Db } from '../db/db.js';
import { withCarrierFailure } from './carrier-failure.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

const input = z.object({
  order_id: orderIdArg,
  shipment_id: z.number().int().positive().describe('The shipment whose label is voided, as get_tracking lists it.'),
  reason: z.string().min(3).describe('Why the label is voided, kept on the record, for example "wrong service".'),
});

/** The shipment, when it belongs to the order; a foreign shipment gets the same answer as a missing one. */
async function shipmentOf(db: Db, orderId: string, shipmentId: number): Promise<Shipment> {
  const s = await findShipment(db, shipmentId);
  if (!s || s.orderId !== orderId) throw new DomainError('not_found', 'shipment_not_found', `order ${orderId} has no shipment ${shipmentId}`);
  return s;
}

export const voidLabel = defineTool({
  name: 'void_label',
  description:
    'Voids the label of one shipment of an order at its carrier (asking for the postage back) and frees its items, so a new label can be bought with buy_label. Only a label the carrier has not scanned yet can be voided. Always waits for a staff approval and returns a pending approval.',
  tier: 'approval',
  input,
  subject: (args) => ({ orderId: args.order_id }),
  async preview(args, ctx) {
    const s = await shipmentOf(ctx.db, args.order_id, args.shipment_id);
    const refusal = voidRefusal(s);
    if (refusal) throw new DomainError('conflict', 'not_voidable', refusal);
    const amount = Number(s.rateAmount ?? 0);
    return {
      summary: `void ${s.carrier ?? s.carrierAccount} label ${s.trackingNumber} of shipment ${s.id} (order ${s.orderId}); ${amount.toFixed(2)} ${s.rateCurrency ?? 'USD'} of postage asked back`,
      changes: [{ field: `shipment ${s.id} status`, before: s.status, after: 'voided' }],
      money: [{ amount, direction: 'refund' as const }],
    };
  },
  async run(args, ctx) {
    await shipmentOf(ctx.db, args.order_id, args.shipment_id);
    const r = await withCarrierFailure(() => voidShipmentLabel(ctx.db, sharedCarriers(ctx.config), args.shipment_id, ctx.actor, { reason: args.reason }));
    return { shipment_id: r.shipment.id, status: r.shipment.status, carrier_detail: r.detail };
  },
});
