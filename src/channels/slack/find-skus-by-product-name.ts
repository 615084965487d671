import type { Db } from '../../db/db.js';

/** SKUs whose product name contains `name` (case-insensitive), best-known products first. */
export async function findSkusByProductName(db: Db, name: string, limit = 5): Promise<string[]> {
  const pattern = `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await db.query<{ sku: string }>(
    `SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id
      WHERE p.name ILIKE $1 ORDER BY p.seq, v.seq LIMIT ${Math.max(1, Math.min(limit, 20))}`,
    [pattern],
  );
  return rows.map((r) => r.sku);
}
