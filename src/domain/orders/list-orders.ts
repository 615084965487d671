import type { Db } from '../../db/db.js';
import { containsPattern } from '../paging/ilike-pattern.js';
import { decodePageCursor } from '../paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../paging/page.js';
import { timestampFromKeySql, timestampKeySql } from '../paging/timestamp-key.js';
import { loadOrders, type OrderRecord } from './order-repository.js';

export interface OrderListFilter {
  status?: string;
  channel?: string;
  /**
   * Free text: part of the order id or channel order number, the customer's email or name, a
   * SKU on one of its lines, or a tracking number of one of its shipments (case-insensitive).
   */
  q?: string;
}

/** An order as lists show it: the whole record and the name of its customer. */
export interface OrderListEntry {
  order: OrderRecord;
  customerName: string | null;
}

const LIST = 'orders';

/** Orders newest placed first, a page at a time; the order never changes between pages (placed_at, then seq). */
export async function listOrders(db: Db, filter: OrderListFilter, page: PageRequest): Promise<Page<OrderListEntry>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.status !== undefined) where.push(`o.status = ${param(filter.status)}`);
  if (filter.channel !== undefined) where.push(`o.channel = ${param(filter.channel)}`);
  if (filter.q !== undefined) {
    const like = param(containsPattern(filter.q));
    where.push(`(o.id ILIKE ${like} OR o.external_id ILIKE ${like} OR o.email ILIKE ${like} OR c.email ILIKE ${like}
      OR (c.first_name || ' ' || c.last_name) ILIKE ${like}
      OR EXISTS (SELECT 1 FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.order_id = o.id AND v.sku ILIKE ${like})
      OR EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id
                   AND (s.tracking_number ILIKE ${like} OR EXISTS (SELECT 1 FROM unnest(s.tracking_ids) t WHERE t ILIKE ${like}))))`);
  }
  if (page.cursor !== null) {
    const [placed, seq] = decodePageCursor(LIST, page.cursor, ['string', 'number']);
    where.push(`(o.placed_at, o.seq) < (${timestampFromKeySql(param(placed))}, ${param(seq)})`);
  }
  const { rows } = await db.query<{ id: string; placed_key: string; seq: string | number; customer_name: string | null }>(
    `SELECT o.id, ${timestampKeySql('o.placed_at')} AS placed_key, o.seq,
            NULLIF(trim(c.first_name || ' ' || c.last_name), '') AS customer_name
       FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY o.placed_at DESC, o.seq DESC LIMIT ${param(page.limit + 1)}`,
    params,
  );
  // Orders are never deleted, so every id read here loads.
  const shown = rows.slice(0, page.limit);
  const records = new Map((await loadOrders(db, shown.map((r) => r.id))).map((o) => [o.id, o]));
  return takePage(
    LIST,
    rows,
    page.limit,
    (r) => [r.placed_key, Number(r.seq)],
    (r) => ({ order: records.get(r.id)!, customerName: r.customer_name }),
  );
}
