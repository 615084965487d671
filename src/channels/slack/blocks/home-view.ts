import type { ApprovalView } from '../../../agent/approval-view.js';
import type { OrderRecord } from '../../../domain/orders/order-repository.js';
import type { SlackAlertView } from './alert-message.js';
import { describeMoney, describeSubject } from './approval-request.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { slackDate } from '../format/slack-date.js';
import { context, divider, header, section } from './layout-blocks.js';
import type { Block } from './slack-message.js';

export interface HomeViewInput {
  approvals: ApprovalView[];
  heldOrders: OrderRecord[];
  alerts: SlackAlertView[];
  /** How many of each list are shown before "and N more". */
  limit?: number;
}

function list<T>(items: T[], limit: number, line: (item: T) => string, empty: string): Block[] {
  if (items.length === 0) return [context(empty)];
  const lines = items.slice(0, limit).map(line);
  if (items.length > limit) lines.push(`…and ${items.length - limit} more`);
  // A section holds 3000 characters; split long lists over several.
  const blocks: Block[] = [];
  let chunk: string[] = [];
  for (const l of lines) {
    if ([...chunk, l].join('\n').length > 2900) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
    }
    chunk.push(l);
  }
  if (chunk.length) blocks.push(section(chunk.join('\n')));
  return blocks;
}

/** The App Home tab: open approvals, held orders and open alerts. */
export function homeView(input: HomeViewInput): { type: 'home'; blocks: Block[] } {
  const limit = input.limit ?? 15;
  return {
    type: 'home',
    blocks: [
      header('orderops'),
      context('Open work for ops. Use `/orderops help` in any channel for commands.'),
      divider(),
      section(`*Open approvals (${input.approvals.length})*`),
      ...list(
        input.approvals,
        limit,
        (a) => `• *${escapeMrkdwn(a.preview.summary)}* — ${describeSubject(a)}; ${describeMoney(a).replace(/\n/g, '; ')}; expires ${slackDate(a.expiresAt)} (\`${a.id}\`)`,
        'No approvals waiting.',
      ),
      divider(),
      section(`*Held orders (${input.heldOrders.length})*`),
      ...list(
        input.heldOrders,
        limit,
        (o) => `• *${escapeMrkdwn(o.id)}* — ${escapeMrkdwn(o.holdReason ?? 'no reason recorded')} (held ${slackDate(o.statusChangedAt.toISOString())})`,
        'No orders on hold.',
      ),
      divider(),
      section(`*Open alerts (${input.alerts.length})*`),
      ...list(input.alerts, limit, (a) => `• ${a.severity === 'critical' ? ':rotating_light:' : ':warning:'} ${escapeMrkdwn(a.subject)}`, 'No open alerts.'),
    ],
  };
}

/** The App Home tab for someone the ops lists do not include: a notice and no data. */
export function homeNoticeView(text: string): { type: 'home'; blocks: Block[] } {
  return { type: 'home', blocks: [header('orderops'), section(text)] };
}
