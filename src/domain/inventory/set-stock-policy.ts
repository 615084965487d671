import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import type { BackorderPolicy } from './lock-stock-levels.js';
import { writeAvailableChanged } from './write-available-changed.js';

export interface StockPolicy {
  sku: string;
  safety_stock: number;
  backorder_policy: BackorderPolicy;
}

/**
 * Sets how much of a variant is kept back from promises at each location (safety stock) and
 * whether it may be sold beyond what is promisable (backorders). Either may be left out.
 */
export async function setStockPolicy(
  db: Db,
  args: { sku: string; safetyStock?: number; backorderPolicy?: BackorderPolicy },
  actor: Actor,
): Promise<StockPolicy> {
  if (args.safetyStock !== undefined && (!Number.isInteger(args.safetyStock) || args.safetyStock < 0)) {
    throw new DomainError('invalid', 'invalid_safety_stock', `safety stock must be a whole number of units, 0 or more, got ${args.safetyStock}`);
  }
  if (args.backorderPolicy !== undefined && args.backorderPolicy !== 'deny' && args.backorderPolicy !== 'allow') {
    throw new DomainError('invalid', 'invalid_backorder_policy', `backorder policy must be "deny" or "allow", got "${String(args.backorderPolicy)}"`);
  }
  return db.transaction(async (tx) => {
    const { rows: before } = await tx.query<{ id: string; safety_stock: number; backorder_policy: BackorderPolicy }>(
      'SELECT id, safety_stock, backorder_policy FROM variants WHERE sku = $1 FOR UPDATE',
      [args.sku],
    );
    const variant = before[0];
    if (!variant) throw new DomainError('not_found', 'sku_not_found', `SKU ${args.sku} not found`);
    const next = {
      safety_stock: args.safetyStock ?? variant.safety_stock,
      backorder_policy: args.backorderPolicy ?? variant.backorder_policy,
    };
    await tx.query('UPDATE variants SET safety_stock = $2, backorder_policy = $3 WHERE id = $1', [
      variant.id,
      next.safety_stock,
      next.backorder_policy,
    ]);
    // Safety stock is subtracted from what channels show, so a new value is a new channel quantity.
    if (next.safety_stock !== variant.safety_stock) await writeAvailableChanged(tx, [variant.id], 'safety_stock_set');
    await recordAudit(tx, actor, {
      action: 'inventory.stock_policy_set',
      entityType: 'variant',
      entityId: variant.id,
      data: { sku: args.sku, before: { safety_stock: variant.safety_stock, backorder_policy: variant.backorder_policy }, after: next },
    });
    return { sku: args.sku, ...next };
  });
}
