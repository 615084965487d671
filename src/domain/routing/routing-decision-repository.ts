import type { Db } from '../../db/db.js';
import type { RoutingExplanation } from './decide-routing.js';
import type { RoutingTrigger } from './route-order-stock.js';

export interface StoredRoutingDecision {
  id: number;
  orderId: string;
  trigger: RoutingTrigger;
  strategy: string;
  explanation: RoutingExplanation;
  promisedDeliveryAt: string | null;
  actor: string;
  createdAt: string;
}

/** An order's routing decisions, newest first. */
export async function listRoutingDecisions(db: Db, orderId: string, limit = 10): Promise<StoredRoutingDecision[]> {
  const { rows } = await db.query<{
    id: number;
    order_id: string;
    trigger: RoutingTrigger;
    strategy: string;
    explanation: RoutingExplanation;
    promised_delivery_at: Date | string | null;
    actor: string;
    created_at: Date | string;
  }>(
    `SELECT id, order_id, trigger, strategy, explanation, promised_delivery_at, actor, created_at
       FROM routing_decisions WHERE order_id = $1 ORDER BY id DESC LIMIT $2`,
    [orderId, limit],
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  return rows.map((r) => ({
    id: Number(r.id),
    orderId: r.order_id,
    trigger: r.trigger,
    strategy: r.strategy,
    explanation: r.explanation,
    promisedDeliveryAt: r.promised_delivery_at === null ? null : iso(r.promised_delivery_at),
    actor: r.actor,
    createdAt: iso(r.created_at),
  }));
}
