import { z } from 'zod';

const money = z.number().describe('In currency units.');
const at = z.string().nullable();

/**
 * The main fields of orderView (order-view.ts) for the OpenAPI document; the order carries more
 * (addresses, channel extras), which the schema lets through.
 */
export const orderViewSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    channel: z.string(),
    external_id: z.string(),
    customer_id: z.string(),
    email: z.string().nullable(),
    currency: z.string(),
    placed_at: at,
    status_changed_at: at,
    total: money,
    subtotal: money,
    paid: money,
    refunded: money,
    hold_reason: z.string().nullable(),
    cancel_reason: z.string().nullable(),
    lines: z.array(
      z
        .object({
          id: z.number(),
          position: z.number(),
          variant_id: z.string(),
          sku: z.string().nullable(),
          name: z.string(),
          price: money,
          quantity: z.number().int(),
          location_id: z.string().nullable(),
        })
        .loose(),
    ),
    shipments: z.array(
      z.object({ id: z.number(), status: z.string(), carrier: z.string().nullable(), tracking_number: z.string().nullable() }).loose(),
    ),
    payments: z.array(z.object({ kind: z.enum(['payment', 'refund']), amount: money, payment_method_id: z.string() }).loose()),
  })
  .loose();
