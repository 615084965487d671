import type { ApprovalNotifier } from '../../agent/approval-notifier.js';
import type { Db } from '../../db/db.js';
import type { SlackApprovalsPort } from './slack-agent-port.js';
import { listStaleSlackApprovalMessages } from './slack-approval-messages.js';

/**
 * Brings Slack up to date with approvals made or decided elsewhere: by another channel's agent
 * (a customer's email request needs a Slack approver), the CLI, or another process. Pending
 * approvals not yet in Slack are posted; messages still showing buttons for a decided or expired
 * approval are updated. Safe beside the notifier hooks: each approval is posted once.
 */
export async function syncSlackApprovals(deps: { db: Db; approvals: SlackApprovalsPort; notifier: ApprovalNotifier }): Promise<{ pending: number; updated: number }> {
  const pending = await deps.approvals.listApprovals({ status: 'pending', limit: 100 });
  for (const approval of pending) await deps.notifier.created?.(approval);
  const stale = await listStaleSlackApprovalMessages(deps.db);
  for (const id of stale) {
    const approval = await deps.approvals.getApproval(id);
    if (approval) await deps.notifier.decided?.(approval);
  }
  return { pending: pending.length, updated: stale.length };
}
