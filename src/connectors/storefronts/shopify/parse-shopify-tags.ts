/** Shopify's tags: one comma-separated string (webhooks) or a list (GraphQL); trimmed, deduplicated, blanks dropped. */
export function parseShopifyTags(tags: string | string[] | null | undefined, maxLength = 100): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? '').split(',');
  return [...new Set(list.map((t) => t.trim().slice(0, maxLength)).filter(Boolean))];
}
