import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { listOrderShipments, listOrderTrackingEvents } from '../domain/shipping/shipment-repository.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const getTracking = defineTool({
  name: 'get_tracking',
  description:
    "Returns an order's shipments (id, location, carrier, service, tracking number, status, promised and expected delivery, shipped and delivered times, label cost) with every carrier event received, oldest first. Use it to answer where a parcel is or why it is late; an empty list means nothing has been labelled yet.",
  tier: 'read',
  input: z.object({ order_id: orderIdArg }),
  async run(args, ctx) {
    const { rows } = await ctx.db.query('SELECT 1 FROM orders WHERE id = $1', [args.order_id]);
    if (!rows.length) throw new DomainError('not_found', 'order_not_found', `order ${args.order_id} not found`);
    const events = await listOrderTrackingEvents(ctx.db, args.order_id);
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      order_id: args.order_id,
      shipments: (await listOrderShipments(ctx.db, args.order_id)).map((s) => ({
        shipment_id: s.id,
        location_id: s.locationId,
        status: s.status,
        carrier: s.carrier,
        service: s.service,
        tracking_number: s.trackingNumber,
        label_cost: s.rateAmount === null ? null : `${s.rateAmount} ${s.rateCurrency}`,
        promised_at: iso(s.promisedAt),
        expected_delivery_at: iso(s.expectedDeliveryAt),
        shipped_at: iso(s.shippedAt),
        delivered_at: iso(s.deliveredAt),
        events: (events.get(s.id) ?? []).map((e) => ({ status: e.status, detail: e.detail, location: e.location, at: iso(e.occurredAt) })),
      })),
    };
  },
});
