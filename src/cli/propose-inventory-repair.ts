import { approvalEventPublisher } from '../console/approval-event-publisher.js';
import { createApprovalService } from '../agent/approval-service.js';
import type { ApprovalView } from '../agent/approval-view.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import type { InventoryFinding } from '../domain/inventory/inventory-finding.js';
import { repairInventory } from '../tools/repair-inventory.js';

/**
 * Records every automatic fix of an inventory check as ONE approval of `repair_inventory`, the
 * way the agent's gate records a tool call: a person approves it in Slack, the dashboard or the
 * terminal chat, and the approval service then runs it once. Asking again while it waits returns
 * the same approval. Returns null when no finding has an automatic fix.
 */
export async function proposeInventoryRepair(
  db: Db,
  config: Config,
  findings: InventoryFinding[],
  requester: Actor,
): Promise<{ approval: ApprovalView; created: boolean } | null> {
  const fixes = findings.flatMap((f) => (f.fix ? [f.fix] : []));
  if (fixes.length === 0) return null;
  const approvals = createApprovalService({ db, config, notifier: approvalEventPublisher(db) });
  return approvals.request({
    tool: repairInventory,
    args: { fixes },
    ctx: { db, config, actor: requester, persona: 'ops' },
    reason: `the inventory check proposes ${fixes.length} fix${fixes.length === 1 ? '' : 'es'} to stock records`,
    requester,
    verification: { verified: true, summary: `local operator ${requester.id} (orderops inventory check)` },
    origin: { channel: 'cli', threadKey: 'inventory-check' },
  });
}
