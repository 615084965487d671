import { z } from 'zod';

/** zod schemas of the three tau-retail data files (v1 layout), used to reject bad input early. */
const address = z.object({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});

const paymentMethod = z.discriminatedUnion('source', [
  z.object({ source: z.literal('credit_card'), id: z.string(), brand: z.string(), last_four: z.string() }),
  z.object({ source: z.literal('paypal'), id: z.string() }),
  z.object({ source: z.literal('gift_card'), id: z.string(), balance: z.number().nonnegative() }),
]);

export const tauUserSchema = z.object({
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  address,
  email: z.string(),
  payment_methods: z.record(z.string(), paymentMethod),
  orders: z.array(z.string()),
});

const money = z.number().nonnegative();

export const tauOrderSchema = z.object({
  order_id: z.string(),
  user_id: z.string(),
  address,
  items: z.array(
    z.object({
      name: z.string(),
      product_id: z.string(),
      item_id: z.string(),
      price: money,
      options: z.record(z.string(), z.string()),
    }),
  ),
  fulfillments: z.array(z.object({ tracking_id: z.array(z.string()), item_ids: z.array(z.string()) })),
  status: z.string(),
  payment_history: z.array(
    z.object({ transaction_type: z.enum(['payment', 'refund']), amount: money, payment_method_id: z.string() }),
  ),
  cancel_reason: z.string().nullish(),
  exchange_items: z.array(z.string()).nullish(),
  exchange_new_items: z.array(z.string()).nullish(),
  exchange_payment_method_id: z.string().nullish(),
  exchange_price_difference: z.number().nullish(),
  return_items: z.array(z.string()).nullish(),
  return_payment_method_id: z.string().nullish(),
});

export const tauProductSchema = z.object({
  name: z.string(),
  product_id: z.string(),
  variants: z.record(
    z.string(),
    z.object({ item_id: z.string(), options: z.record(z.string(), z.string()), available: z.boolean(), price: money }),
  ),
});

export type TauUser = z.infer<typeof tauUserSchema>;
export type TauOrder = z.infer<typeof tauOrderSchema>;
export type TauProduct = z.infer<typeof tauProductSchema>;
