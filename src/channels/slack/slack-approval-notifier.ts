import type { WebClient } from '@slack/web-api';
import type { ApprovalNotifier } from '../../agent/approval-notifier.js';
import type { ApprovalView } from '../../agent/approval-view.js';
import type { Db } from '../../db/db.js';
import { approvalOutcomeMessage } from './blocks/approval-outcome.js';
import { approvalRequestMessage } from './blocks/approval-request.js';
import {
  claimSlackApprovalMessage,
  findSlackApprovalMessage,
  markSlackApprovalShown,
  releaseSlackApprovalClaim,
  saveSlackApprovalMessage,
} from './slack-approval-messages.js';
import { parseSlackThreadKey } from './slack-thread-key.js';
import { followSlackThread } from './slack-thread-registry.js';

export interface SlackApprovalNotifierDeps {
  db: Db;
  client: WebClient;
  /** Where approvals that did not start in a Slack thread (customer email) are posted. */
  alertsChannel?: string;
  log?: (msg: string) => void;
}

/**
 * Follows approvals in Slack: a new approval is posted with its buttons in the thread where it
 * was asked (or in the alerts channel when it came from elsewhere, e.g. a customer's email);
 * a decision or expiry replaces that message with the outcome and no buttons. Each approval is
 * posted at most once, whichever path (this hook or the catch-up sweep) gets there first.
 */
export function createSlackApprovalNotifier(deps: SlackApprovalNotifierDeps): ApprovalNotifier {
  const log = deps.log ?? (() => {});

  async function update(approval: ApprovalView): Promise<void> {
    const where = await findSlackApprovalMessage(deps.db, approval.id);
    if (!where || where.shownStatus === approval.status) return;
    await deps.client.chat.update({ channel: where.channel, ts: where.ts, ...approvalOutcomeMessage(approval) });
    await markSlackApprovalShown(deps.db, approval.id, approval.status);
  }

  return {
    async created(approval) {
      // Buttons only for what an approver may decide now: a request still waiting for its
      // sender's confirmation is posted once it becomes pending.
      if (approval.status !== 'pending') return;
      const thread = approval.origin.channel === 'slack' ? parseSlackThreadKey(approval.origin.threadKey) : null;
      const channel = thread?.channel ?? deps.alertsChannel;
      if (!channel) {
        log(`approval ${approval.id} has no Slack thread and SLACK_ALERTS_CHANNEL is not set; not posted`);
        return;
      }
      if (!(await claimSlackApprovalMessage(deps.db, approval.id, channel))) return;
      try {
        const res = await deps.client.chat.postMessage({ channel, thread_ts: thread?.threadTs, ...approvalRequestMessage(approval) });
        const ts = res.ts!;
        const threadTs = thread?.threadTs ?? ts;
        await saveSlackApprovalMessage(deps.db, { approvalId: approval.id, channel, ts, threadTs });
        await followSlackThread(deps.db, { channel, threadTs });
      } catch (err) {
        await releaseSlackApprovalClaim(deps.db, approval.id);
        throw err;
      }
    },
    decided: update,
    expired: update,
  };
}
