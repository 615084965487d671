import { readFileSync } from 'node:fs';

/** WooCommerce's documented REST API v3 order (test/fixtures/woocommerce/order-documented.json). */
export function documentedWooOrder(): Record<string, any> {
  return JSON.parse(readFileSync(new URL('../fixtures/woocommerce/order-documented.json', import.meta.url), 'utf8'));
}

/**
 * The documented order under another id, its two lines sold as the given SKUs (the documented
 * first line has none), by the given buyer.
 */
export function wooOrder(id: number, skus: [string, string], email = `buyer-${id}@example.com`): Record<string, any> {
  const o = documentedWooOrder();
  o.id = id;
  o.number = String(id);
  o.billing.email = email;
  o.line_items[0].sku = skus[0];
  o.line_items[1].sku = skus[1];
  return o;
}
