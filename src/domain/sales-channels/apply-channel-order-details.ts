import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';

export interface ChannelOrderDetails {
  note: string | null;
  tags: string[];
}

/**
 * Takes the buyer's note and the channel's tags from a later version of an order the ledger
 * already holds (Shopify's orders/updated). Only these descriptive fields: lines, addresses,
 * money and status change through their own services. `changed` lists what differed; an
 * unchanged repeat writes nothing.
 */
export async function applyChannelOrderDetails(
  db: Db,
  orderId: string,
  details: ChannelOrderDetails,
  actor: Actor,
): Promise<{ changed: ('note' | 'tags')[] }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ note: string | null; tags: string[] }>('SELECT note, tags FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    const current = rows[0];
    if (!current) throw new Error(`order ${orderId} not found`);
    const changed: ('note' | 'tags')[] = [];
    if ((current.note ?? null) !== details.note) changed.push('note');
    if (JSON.stringify(current.tags ?? []) !== JSON.stringify(details.tags)) changed.push('tags');
    if (changed.length === 0) return { changed };
    await tx.query('UPDATE orders SET note = $2, tags = $3 WHERE id = $1', [orderId, details.note, details.tags]);
    await recordAudit(tx, actor, {
      action: 'order.channel_details_updated',
      entityType: 'order',
      entityId: orderId,
      data: { changed, before: { note: current.note, tags: current.tags }, after: details },
    });
    return { changed };
  });
}
