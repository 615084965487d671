import { z } from 'zod';
import { routingSettingsFromConfig } from '../config/routing-settings-from-config.js';
import { loadOrder } from '../domain/orders/order-repository.js';
import { rerouteOrder as reroute } from '../domain/routing/reroute-order.js';
import { orderIdArg } from './order-id-arg.js';
import { defineTool } from './tool.js';

export const rerouteOrder = defineTool({
  name: 'reroute_order',
  description:
    'Routes a pending, on-hold or processed order again, moving its stock reservations to where the new decision ships from; optionally only from the locations given (for example to keep it out of a warehouse that is closed). Refused once the order has a shipment. Always waits for a staff approval; the approval shows the lines and locations before and after.',
  tier: 'approval',
  input: z.object({
    order_id: orderIdArg,
    locations: z.array(z.string().min(1)).optional().describe('Only ship from these location ids (as get_inventory lists them); the rules decide when omitted.'),
    reason: z.string().min(3).describe('Why the order is rerouted, for example "Reno 3PL closed for inventory".'),
  }),
  subject: (args) => ({ orderId: args.order_id }),
  previewChanges(result) {
    const r = result as { ships_from_before: string[]; locations: string[]; promised_before: string | null; promised_delivery_at: string | null };
    return [
      { field: 'ships from', before: r.ships_from_before, after: r.locations },
      { field: 'promised delivery', before: r.promised_before, after: r.promised_delivery_at },
    ];
  },
  async run(args, ctx) {
    const before = await loadOrder(ctx.db, args.order_id);
    const promisedBefore = await ctx.db.query<{ p: Date | null }>('SELECT promised_delivery_at AS p FROM orders WHERE id = $1', [args.order_id]);
    const { order, decision } = await reroute(
      ctx.db,
      { orderId: args.order_id, reason: args.reason, ...(args.locations?.length ? { forcedLocations: args.locations } : {}) },
      ctx.actor,
      routingSettingsFromConfig(ctx.config),
    );
    const p = promisedBefore.rows[0]?.p;
    return {
      order_id: order.id,
      ships_from_before: [...new Set((before?.lines ?? []).map((l) => l.locationId))],
      promised_before: p ? new Date(p).toISOString() : null,
      locations: decision.winner.locations,
      why: decision.winner.why,
      lines: order.lines.map((l) => ({ variant_id: l.variantId, quantity: l.quantity, location_id: l.locationId })),
      promised_delivery_at: decision.promisedDeliveryAt,
    };
  },
});
