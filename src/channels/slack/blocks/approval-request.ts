import type { ApprovalView } from '../../../agent/approval-view.js';
import { ACTION_IDS } from '../action-ids.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { formatMoney } from '../format/format-money.js';
import { personLabel } from '../format/person-label.js';
import { shortValue } from '../format/short-value.js';
import { plainDate, slackDate } from '../format/slack-date.js';
import { fieldsSection } from './fields-section.js';
import { context, header, section } from './layout-blocks.js';
import type { Block, SlackMessage } from './slack-message.js';

/** "status: pending → cancelled" lines for each field the action changes. */
export function describeChanges(approval: ApprovalView): string {
  const lines = approval.preview.changes.map(
    (c) => `${escapeMrkdwn(c.field)}: ${escapeMrkdwn(shortValue(c.before))} → ${escapeMrkdwn(shortValue(c.after))}`,
  );
  return lines.length ? lines.join('\n') : escapeMrkdwn(approval.tool);
}

/** Who the action is for: the order and/or customer it touches. */
export function describeSubject(approval: ApprovalView): string {
  const parts: string[] = [];
  const orderId = approval.preview.orderId ?? (typeof approval.args.order_id === 'string' ? approval.args.order_id : undefined);
  if (orderId) parts.push(`order ${escapeMrkdwn(orderId)}`);
  const customerId = approval.preview.customerId ?? approval.customerId ?? undefined;
  if (customerId) parts.push(`customer ${escapeMrkdwn(customerId)}`);
  return parts.join(', ') || '—';
}

/** How much money moves, and which way. */
export function describeMoney(approval: ApprovalView): string {
  const moving = approval.preview.money.filter((m) => m.direction !== 'none' && m.amount !== 0);
  if (moving.length === 0) return 'no money moves';
  return moving
    .map((m) => `${m.direction} ${formatMoney(m.amount)}${m.paymentMethodId ? ` to ${escapeMrkdwn(m.paymentMethodId)}` : ''}`)
    .join('\n');
}

export function describeRequester(approval: ApprovalView): string {
  const r = approval.requester;
  const who = personLabel(r.onBehalfOf ?? r.id);
  return approval.persona === 'customer' ? `${who} (customer)` : who;
}

/** How the requester was verified, as the channel recorded it; flagged when it could not tell. */
export function describeVerification(approval: ApprovalView): string {
  const summary = escapeMrkdwn(approval.requesterVerification.summary);
  return approval.requesterVerification.verified ? summary : `:warning: ${summary}`;
}

/** The fields an approver needs to decide, shared by the pending and decided forms. */
export function approvalDetails(approval: ApprovalView): Block[] {
  const blocks: Block[] = [
    fieldsSection([
      ['What changes', describeChanges(approval)],
      ['For', describeSubject(approval)],
      ['Amount', describeMoney(approval)],
      ['Asked by', describeRequester(approval)],
      ['Verified', describeVerification(approval)],
      ['Why approval', escapeMrkdwn(approval.reason)],
      ['Expires', slackDate(approval.expiresAt)],
    ]),
  ];
  if (approval.preview.wouldFail) {
    blocks.push(section(`:warning: A dry run failed: ${escapeMrkdwn(approval.preview.wouldFail)}. Approving would fail the same way.`));
  }
  return blocks;
}

/** The notification line: what, for whom, how much, who, until when, in plain text. */
export function approvalFallback(approval: ApprovalView, lead: string): string {
  const money = describeMoney(approval).replace(/\n/g, '; ');
  return `${lead}: ${approval.preview.summary} (${describeSubject(approval)}; ${money}; asked by ${approval.requester.onBehalfOf ?? approval.requester.id}, ${approval.requesterVerification.summary}; expires ${plainDate(approval.expiresAt)})`;
}

/**
 * The message that asks an approver to decide on one pending action, with Approve and Reject
 * buttons whose value is the approval id.
 */
export function approvalRequestMessage(approval: ApprovalView): SlackMessage {
  return {
    text: approvalFallback(approval, 'Approval needed'),
    blocks: [
      header(`Approval needed: ${approval.preview.summary}`),
      ...approvalDetails(approval),
      {
        type: 'actions',
        block_id: `approval:${approval.id}`,
        elements: [
          {
            type: 'button',
            action_id: ACTION_IDS.approve,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'primary',
            value: approval.id,
            confirm: {
              title: { type: 'plain_text', text: 'Run this action?' },
              text: { type: 'mrkdwn', text: `${approval.preview.summary.slice(0, 250)}` },
              confirm: { type: 'plain_text', text: 'Approve' },
              deny: { type: 'plain_text', text: 'Back' },
            },
          },
          {
            type: 'button',
            action_id: ACTION_IDS.reject,
            text: { type: 'plain_text', text: 'Reject' },
            style: 'danger',
            value: approval.id,
          },
        ],
      },
      context(`Approval \`${approval.id}\` · tool \`${approval.tool}\` · only approvers can decide`),
    ],
  };
}
