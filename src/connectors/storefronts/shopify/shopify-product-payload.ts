import { z } from 'zod';

const id = z.union([z.number().int(), z.string().regex(/^\d+$/, 'must be a numeric id')]);

/** The fields of Shopify's products/create and products/update webhook body the connector reads. */
export const shopifyProductPayloadSchema = z.looseObject({
  id,
  title: z.string(),
  handle: z.string(),
  body_html: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  status: z.string().nullish(),
  options: z.array(z.looseObject({ name: z.string(), position: z.number().int().optional() })).nullish(),
  variants: z.array(
    z.looseObject({
      id,
      sku: z.string().nullish(),
      price: z.union([z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount such as "20.00"'), z.number()]),
      barcode: z.string().nullish(),
      grams: z.number().int().nullish(),
      inventory_item_id: id.nullish(),
      option1: z.string().nullish(),
      option2: z.string().nullish(),
      option3: z.string().nullish(),
    }),
  ),
});

export type ShopifyProductPayload = z.infer<typeof shopifyProductPayloadSchema>;
