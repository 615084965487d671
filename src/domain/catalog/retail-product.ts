/** A sellable variant in the tau-retail JSON shape (`item_id` is the variant id and sku). */
export interface RetailVariant {
  item_id: string;
  options: Record<string, string>;
  available: boolean;
  price: number;
}

/** A product in the tau-retail JSON shape, variants in catalog order. */
export interface RetailProduct {
  name: string;
  product_id: string;
  variants: Record<string, RetailVariant>;
}
