import { z } from 'zod';

// Shopify sends money as decimal strings ("20.00"); some older payloads and GraphQL-derived ones use numbers.
const money = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount such as "20.00"'), z.number()]);
const nullableText = z.string().nullish();
const id = z.union([z.number().int(), z.string().regex(/^\d+$/, 'must be a numeric id')]);

export const shopifyAddressSchema = z.looseObject({
  first_name: nullableText,
  last_name: nullableText,
  name: nullableText,
  company: nullableText,
  address1: nullableText,
  address2: nullableText,
  city: nullableText,
  province: nullableText,
  province_code: nullableText,
  country: nullableText,
  country_code: nullableText,
  zip: nullableText,
  phone: nullableText,
});

const discountAllocationSchema = z.looseObject({
  amount: money,
  discount_application_index: z.number().int().nonnegative().optional(),
});

export const shopifyLineItemSchema = z.looseObject({
  id,
  variant_id: id.nullish(),
  product_id: id.nullish(),
  sku: nullableText,
  title: nullableText,
  name: nullableText,
  quantity: z.number().int(),
  price: money,
  requires_shipping: z.boolean().nullish(),
  gift_card: z.boolean().nullish(),
  total_discount: money.nullish(),
  discount_allocations: z.array(discountAllocationSchema).nullish(),
});

export const shopifyOrderPayloadSchema = z.looseObject({
  id,
  name: nullableText,
  order_number: z.number().int().nullish(),
  email: nullableText,
  contact_email: nullableText,
  phone: nullableText,
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  cancel_reason: nullableText,
  currency: nullableText,
  total_price: money.nullish(),
  current_total_price: money.nullish(),
  taxes_included: z.boolean().nullish(),
  financial_status: nullableText,
  fulfillment_status: nullableText,
  note: nullableText,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  browser_ip: nullableText,
  gateway: nullableText,
  payment_gateway_names: z.array(z.string()).nullish(),
  customer: z
    .looseObject({
      id: id.nullish(),
      email: nullableText,
      first_name: nullableText,
      last_name: nullableText,
      phone: nullableText,
      created_at: z.string().nullish(),
    })
    .nullish(),
  client_details: z
    .looseObject({ browser_ip: nullableText, user_agent: nullableText, accept_language: nullableText })
    .nullish(),
  payment_details: z.looseObject({ avs_result_code: nullableText, cvv_result_code: nullableText }).nullish(),
  shipping_address: shopifyAddressSchema.nullish(),
  billing_address: shopifyAddressSchema.nullish(),
  line_items: z.array(shopifyLineItemSchema),
  shipping_lines: z
    .array(z.looseObject({ title: nullableText, code: nullableText, price: money.nullish(), discount_allocations: z.array(discountAllocationSchema).nullish() }))
    .nullish(),
  discount_codes: z.array(z.looseObject({ code: nullableText, amount: money.nullish(), type: nullableText })).nullish(),
  discount_applications: z
    .array(
      z.looseObject({
        type: nullableText,
        code: nullableText,
        title: nullableText,
        description: nullableText,
        target_type: nullableText,
      }),
    )
    .nullish(),
  tax_lines: z.array(z.looseObject({ title: nullableText, rate: z.number().nullish(), price: money })).nullish(),
});

/** The fields of Shopify's order webhook body (the REST Order resource) the connector reads. */
export type ShopifyOrderPayload = z.infer<typeof shopifyOrderPayloadSchema>;
export type ShopifyAddress = z.infer<typeof shopifyAddressSchema>;
