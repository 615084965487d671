import type { ApprovalView } from '../../../agent/approval-view.js';
import { approvalDetails, approvalFallback } from './approval-request.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { personLabel } from '../format/person-label.js';
import { shortValue } from '../format/short-value.js';
import { plainDate, slackDate } from '../format/slack-date.js';
import { context, header, section } from './layout-blocks.js';
import type { SlackMessage } from './slack-message.js';

const HEADLINE: Record<ApprovalView['status'], string> = {
  awaiting_confirmation: 'Waiting for the customer to confirm',
  pending: 'Approval pending',
  executed: 'Approved and done',
  failed: 'Approved, but the action failed',
  rejected: 'Rejected',
  expired: 'Expired without a decision',
};

/** One line on what the action returned, short enough for a section. */
function describeResult(approval: ApprovalView): string {
  if (approval.status === 'failed') return `:x: ${escapeMrkdwn(approval.error ?? shortValue(approval.result))}`;
  if (approval.status !== 'executed') return '';
  return `:white_check_mark: ${escapeMrkdwn(shortValue(approval.result))}`;
}

/**
 * The approval message after it was decided or expired: the same details, the decision, by whom
 * and when, the result, and no buttons (so nobody can press again).
 */
export function approvalOutcomeMessage(approval: ApprovalView): SlackMessage {
  const headline = HEADLINE[approval.status];
  let decision: string;
  if (approval.status === 'expired') {
    decision = `:hourglass: Expired ${slackDate(approval.expiresAt)}; the action did not run.`;
  } else if (approval.status === 'rejected') {
    decision = `:no_entry: Rejected by ${personLabel(approval.decidedBy ?? '?')} ${approval.decidedAt ? slackDate(approval.decidedAt) : ''}; the action did not run.`;
  } else {
    decision = `Approved by ${personLabel(approval.decidedBy ?? '?')} ${approval.decidedAt ? slackDate(approval.decidedAt) : ''}`;
  }
  const result = describeResult(approval);
  const by = approval.decidedBy ? ` by ${approval.decidedBy}` : '';
  const when = approval.decidedAt ? ` at ${plainDate(approval.decidedAt)}` : '';
  return {
    text: `${approvalFallback(approval, headline)} — ${approval.status}${by}${when}`,
    blocks: [
      header(`${headline}: ${approval.preview.summary}`),
      ...approvalDetails(approval),
      section(result ? `${decision}\n${result}` : decision),
      context(`Approval \`${approval.id}\` · tool \`${approval.tool}\` · ${approval.status}`),
    ],
  };
}
