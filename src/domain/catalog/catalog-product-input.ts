import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const channelVariantRefSchema = z.object({
  channel: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/, 'must be a short lowercase channel name'),
  external_variant_id: text(100).describe("The channel's variant id"),
  external_product_id: text(100).optional().describe("The channel's product id"),
  external_inventory_item_id: text(200).optional().describe("The channel's inventory item id (Shopify)"),
});

export const catalogVariantInputSchema = z.object({
  sku: text(100).describe('Our SKU; the key a variant is matched on'),
  options: z.record(z.string(), z.string().max(200)).default({}).describe('Option name to value, e.g. {"Size": "M"}'),
  price: z.number().nonnegative('must not be negative').max(1_000_000).describe('Selling price'),
  weight_grams: z.number().int('must be a whole number').nonnegative().max(1_000_000).optional().describe('Shipping weight'),
  available: z.boolean().optional().describe('False when the variant is not for sale'),
  barcode: text(100).optional().describe('Barcode, e.g. UPC or EAN'),
  channel: channelVariantRefSchema.optional().describe("The variant's ids in the channel it came from"),
});

/** A product and its variants as channels, `POST /api/products` and product CSVs bring them in. */
export const catalogProductInputSchema = z.object({
  handle: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,199}$/, 'must be lowercase letters, digits and dashes').describe('URL handle; the product key'),
  name: text(300).describe('Product title'),
  product_type: text(200).optional().describe('Product type; the name when omitted'),
  description: z.string().max(100_000).optional().describe('Description (plain text or HTML)'),
  vendor: text(200).optional().describe('Vendor or brand'),
  tags: z.array(text(100)).max(250).optional().describe('Tags'),
  variants: z.array(catalogVariantInputSchema).min(1, 'must have at least one variant').max(250).describe('Variants, one per SKU'),
});

export type ChannelVariantRef = z.infer<typeof channelVariantRefSchema>;
export type CatalogVariantInput = z.infer<typeof catalogVariantInputSchema>;
export type CatalogProductInput = z.infer<typeof catalogProductInputSchema>;
