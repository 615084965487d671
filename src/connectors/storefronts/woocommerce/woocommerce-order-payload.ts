import { z } from 'zod';

// WooCommerce sends money as decimal strings ("10.00") and a line's unit price as a number.
const amount = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount such as "10.00"'), z.number()]);
const str = z.string().nullish();

const addressSchema = z.looseObject({
  first_name: str,
  last_name: str,
  company: str,
  address_1: str,
  address_2: str,
  city: str,
  state: str,
  postcode: str,
  country: str,
  email: str,
  phone: str,
});

export const wooLineItemSchema = z.looseObject({
  id: z.number().int(),
  name: str,
  product_id: z.number().int(),
  variation_id: z.number().int().nullish(),
  quantity: z.number().int().min(1, 'must be at least 1'),
  subtotal: amount.nullish(),
  total: amount,
  sku: str,
  price: amount.nullish(),
});

/** An order as REST API v3 (and so every order.* webhook) renders it; only what orderops reads is checked. */
export const wooOrderPayloadSchema = z.looseObject({
  id: z.number().int().positive(),
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  date_paid_gmt: str,
  currency: z.string().nullish(),
  date_created_gmt: str,
  date_modified_gmt: str,
  total: amount.nullish(),
  total_tax: amount.nullish(),
  customer_note: str,
  customer_ip_address: str,
  customer_user_agent: str,
  payment_method: str,
  payment_method_title: str,
  billing: addressSchema.nullish(),
  shipping: addressSchema.nullish(),
  line_items: z.array(wooLineItemSchema),
  shipping_lines: z.array(z.looseObject({ id: z.number().int().nullish(), method_title: str, method_id: str, total: amount })).nullish(),
  coupon_lines: z.array(z.looseObject({ code: str, discount: amount })).nullish(),
  tax_lines: z.array(z.looseObject({ label: str, rate_code: str, rate_percent: z.number().nullish(), tax_total: amount.nullish(), shipping_tax_total: amount.nullish() })).nullish(),
  fee_lines: z.array(z.looseObject({ id: z.number().int().nullish(), name: str, total: amount })).nullish(),
});

export const wooVariationPayloadSchema = z.looseObject({
  id: z.number().int().positive(),
  sku: str,
  price: z.union([z.string(), z.number()]).nullish(),
  regular_price: z.union([z.string(), z.number()]).nullish(),
  weight: str,
  status: str,
  purchasable: z.boolean().nullish(),
  stock_quantity: z.number().int().nullish(),
  attributes: z.array(z.looseObject({ name: str, option: str })).nullish(),
});

/** A product as REST API v3 and the product.* webhooks render it. */
export const wooProductPayloadSchema = z.looseObject({
  id: z.number().int().positive(),
  name: z.string(),
  slug: str,
  type: str,
  status: str,
  sku: str,
  price: z.union([z.string(), z.number()]).nullish(),
  regular_price: z.union([z.string(), z.number()]).nullish(),
  weight: str,
  description: str,
  purchasable: z.boolean().nullish(),
  tags: z.array(z.looseObject({ name: str })).nullish(),
  variations: z.array(z.number().int()).nullish(),
});

export type WooOrderPayload = z.infer<typeof wooOrderPayloadSchema>;
export type WooLineItem = z.infer<typeof wooLineItemSchema>;
export type WooProductPayload = z.infer<typeof wooProductPayloadSchema>;
export type WooVariationPayload = z.infer<typeof wooVariationPayloadSchema>;
