import type { Db } from '../../db/db.js';
import { DomainError } from '../domain-error.js';

export type StockTransferStatus = 'in_transit' | 'received' | 'cancelled';

/** Units on their way from one location to another (see the stock_transfers table). */
export interface StockTransfer {
  id: number;
  sku: string;
  variant_id: string;
  from_location_id: string;
  to_location_id: string;
  quantity: number;
  status: StockTransferStatus;
  reason: string;
  actor: string;
  shipped_at: string;
  received_at: string | null;
}

interface TransferRow {
  id: number;
  sku: string;
  variant_id: string;
  from_location_id: string;
  to_location_id: string;
  quantity: number;
  status: StockTransferStatus;
  reason: string;
  actor: string;
  shipped_at: Date;
  received_at: Date | null;
}

const toTransfer = (r: TransferRow): StockTransfer => ({
  ...r,
  shipped_at: new Date(r.shipped_at).toISOString(),
  received_at: r.received_at ? new Date(r.received_at).toISOString() : null,
});

const SELECT = `SELECT t.id, v.sku, t.variant_id, t.from_location_id, t.to_location_id, t.quantity, t.status, t.reason, t.actor,
                       t.shipped_at, t.received_at
                  FROM stock_transfers t JOIN variants v ON v.id = t.variant_id`;

/** One transfer; with `lock` its row is locked until the transaction ends (to receive or cancel it once). */
export async function loadStockTransfer(db: Db, id: number, options: { lock?: boolean } = {}): Promise<StockTransfer> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('invalid', 'invalid_transfer_id', `transfer id must be a positive integer, got ${id}`);
  const { rows } = await db.query<TransferRow>(`${SELECT} WHERE t.id = $1${options.lock ? ' FOR UPDATE OF t' : ''}`, [id]);
  if (!rows[0]) throw new DomainError('not_found', 'transfer_not_found', `stock transfer ${id} not found`);
  return toTransfer(rows[0]);
}

/** Transfers still in transit, oldest first (optionally of one variant). */
export async function listTransfersInTransit(db: Db, options: { variantIds?: string[] } = {}): Promise<StockTransfer[]> {
  const { rows } = await db.query<TransferRow>(
    `${SELECT} WHERE t.status = 'in_transit' AND ($1::text[] IS NULL OR t.variant_id = ANY($1::text[])) ORDER BY t.shipped_at, t.id`,
    [options.variantIds ?? null],
  );
  return rows.map(toTransfer);
}
