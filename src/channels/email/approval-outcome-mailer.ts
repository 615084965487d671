import type { ApprovalNotifier } from '../../agent/approval-notifier.js';
import type { ApprovalView } from '../../agent/approval-view.js';
import { changeOf, customerChangeWords } from '../../agent/customer-change-words.js';
import { renderPrompt } from '../../agent/prompt-library.js';
import type { EmailDelivery } from './email-delivery.js';
import type { EmailThreadStore } from './email-thread-store.js';

export interface ApprovalOutcomeMailerDeps {
  store: EmailThreadStore;
  /**
   * The agent's own follow-up for the thread (AgentService.resumeAfterDecision), so the
   * conversation knows the outcome when the customer writes again. Null or absent: the outcome
   * is written from a template instead.
   */
  followUp?: (approvalId: string) => Promise<string | null>;
  delivery: EmailDelivery;
  storeName: string;
  log?: (message: string) => void;
}

function outcomeText(approval: ApprovalView): string {
  // Customer words, not the approval's staff summary (tool names, customer ids, status codes).
  const summary = customerChangeWords(changeOf(approval));
  switch (approval.status) {
    case 'executed':
      return renderPrompt('email-outcome-executed', { summary });
    case 'failed':
      return renderPrompt('email-outcome-failed', { error: (approval.error ?? 'an unexpected error').replace(/\.$/, '') });
    case 'rejected':
      return renderPrompt('email-outcome-rejected', { summary });
    default:
      return renderPrompt('email-outcome-expired', { summary });
  }
}

/**
 * The email side of the approval life cycle: once an approver decides (or the approval expires),
 * the customer who asked by email gets one mail with the outcome, in the same thread, answering
 * their latest message there. Approvals that began elsewhere are not its business.
 */
export interface ApprovalOutcomeMailer extends ApprovalNotifier {
  /**
   * Mails every decided email-origin approval whose outcome has not gone out yet. The notifier
   * hooks only fire in the process (and agent service) that made the decision; this sweep covers
   * decisions made anywhere else: another process, another agent service, the CLI, a crash
   * between decision and mail. Returns how many outcome mails it sent.
   */
  catchUp(list: (filter: { status: ApprovalView['status']; channel: string; limit: number }) => Promise<ApprovalView[]>): Promise<number>;
}

export function createApprovalOutcomeMailer(deps: ApprovalOutcomeMailerDeps): ApprovalOutcomeMailer {
  const log = deps.log ?? (() => {});

  async function notify(approval: ApprovalView): Promise<boolean> {
    if (approval.origin.channel !== 'email' || approval.status === 'pending' || approval.status === 'awaiting_confirmation') return false;
    const thread = await deps.store.getThreadByRoot(approval.origin.threadKey);
    if (!thread) {
      log(`approval ${approval.id}: email thread ${approval.origin.threadKey} not found, outcome not mailed`);
      return false;
    }
    const messages = await deps.store.threadMessages(thread.id);
    const parent = messages.filter((m) => m.direction === 'inbound').at(-1) ?? messages.at(-1);
    if (!parent) return false;
    // Claim before sending, so a second notification (a retry, another process) sends nothing.
    const claimed = await deps.store.claimApprovalNotice({ approvalId: approval.id, threadId: thread.id, status: approval.status });
    if (!claimed) return false;
    try {
      const followUp = deps.followUp ? await deps.followUp(approval.id).catch((err: Error) => {
        log(`approval ${approval.id}: agent follow-up failed (${err.message}); using the template`);
        return null;
      }) : null;
      const messageId = await deps.delivery.sendInThread({
        thread,
        parent: { messageId: parent.messageId, referenceIds: parent.referenceIds, subject: parent.subject || thread.subject },
        text: renderPrompt('email-approval-outcome', {
          name: 'there',
          outcome: followUp?.trim() || outcomeText(approval),
          approval_id: approval.id,
          store_name: deps.storeName,
        }),
        source: 'approval-outcome',
      });
      await deps.store.settleApprovalNotice(approval.id, messageId);
      return true;
    } catch (err) {
      await deps.store.releaseApprovalNotice(approval.id);
      throw err;
    }
  }

  const hook = async (approval: ApprovalView) => void (await notify(approval));
  return {
    decided: hook,
    expired: hook,
    async catchUp(list) {
      let sent = 0;
      for (const status of ['executed', 'failed', 'rejected', 'expired'] as const) {
        for (const approval of await list({ status, channel: 'email', limit: 200 })) {
          if (await deps.store.hasApprovalNotice(approval.id)) continue;
          if (await notify(approval)) sent++;
        }
      }
      return sent;
    },
  };
}
