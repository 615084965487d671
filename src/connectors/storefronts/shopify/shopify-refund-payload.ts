import { z } from 'zod';

const id = z.union([z.number().int(), z.string().regex(/^\d+$/, 'must be a numeric id')]);

/** The fields of Shopify's refunds/create webhook body the connector reads. */
export const shopifyRefundPayloadSchema = z.looseObject({
  id,
  order_id: id,
  note: z.string().nullish(),
  created_at: z.string().nullish(),
  transactions: z
    .array(
      z.looseObject({
        kind: z.string().nullish(),
        status: z.string().nullish(),
        amount: z.union([z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount such as "19.60"'), z.number()]),
      }),
    )
    .default([]),
});

export type ShopifyRefundPayload = z.infer<typeof shopifyRefundPayloadSchema>;
