import type { ApprovalView } from '../../../agent/approval-view.js';
import type { OrderRecord } from '../../../domain/orders/order-repository.js';
import { describeMoney, describeSubject } from './approval-request.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { plainDate, slackDate } from '../format/slack-date.js';
import { context, section } from './layout-blocks.js';
import type { SlackMessage } from './slack-message.js';

/** `/orderops held`: orders on hold, newest first, one line each. */
export function heldOrdersMessage(orders: OrderRecord[]): SlackMessage {
  if (orders.length === 0) return { text: 'No orders on hold.', blocks: [section('No orders on hold.')] };
  const lines = orders.slice(0, 20).map((o) => `• *${escapeMrkdwn(o.id)}* — ${escapeMrkdwn(o.holdReason ?? 'no reason recorded')} (since ${slackDate(o.statusChangedAt.toISOString())})`);
  return {
    text: `${orders.length} orders on hold: ${orders.map((o) => o.id).join(', ')}`,
    blocks: [section(`*${orders.length} orders on hold*\n${lines.join('\n')}`), ...(orders.length > 20 ? [context(`…and ${orders.length - 20} more`)] : [])],
  };
}

/** `/orderops approvals`: pending approvals with what, for whom, how much and the deadline. */
export function pendingApprovalsMessage(approvals: ApprovalView[]): SlackMessage {
  if (approvals.length === 0) return { text: 'No approvals waiting.', blocks: [section('No approvals waiting.')] };
  const lines = approvals.slice(0, 20).map((a) => `• *${escapeMrkdwn(a.preview.summary)}* — ${describeSubject(a)}; ${describeMoney(a).replace(/\n/g, '; ')}; expires ${slackDate(a.expiresAt)}`);
  return {
    text: approvals.map((a) => `${a.preview.summary} (expires ${plainDate(a.expiresAt)})`).join('\n'),
    blocks: [section(`*${approvals.length} approvals waiting*\n${lines.join('\n')}`)],
  };
}
