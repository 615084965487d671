/** Shopify's global id for a REST numeric id: gid://shopify/<Type>/<id>. An id already a gid is returned as is. */
export function shopifyGid(type: string, id: string | number): string {
  const s = String(id);
  return s.startsWith('gid://') ? s : `gid://shopify/${type}/${s}`;
}

/** The numeric id inside a gid (what webhooks and the ledger's external ids use). */
export function legacyShopifyId(gid: string): string {
  const m = /\/(\d+)(?:\?.*)?$/.exec(gid);
  return m ? m[1]! : gid;
}
