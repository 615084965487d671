import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/db.js';
import { searchOrders } from '../../domain/orders/order-repository.js';
import { homeView } from './blocks/home-view.js';
import type { SlackApprovalsPort } from './slack-agent-port.js';
import { listOpenSlackAlerts } from './slack-alert-store.js';

/** Publishes the App Home tab for one user: open approvals, held orders, open alerts. */
export async function publishAppHome(deps: { db: Db; client: WebClient; approvals: SlackApprovalsPort }, userId: string): Promise<void> {
  const [approvals, heldOrders, alerts] = await Promise.all([
    deps.approvals.listApprovals({ status: 'pending', limit: 50 }),
    searchOrders(deps.db, { status: 'on_hold', limit: 50 }),
    listOpenSlackAlerts(deps.db, 50),
  ]);
  await deps.client.views.publish({ user_id: userId, view: homeView({ approvals, heldOrders, alerts }) as never });
}
