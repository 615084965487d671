import type { OrderRecord } from '../../../domain/orders/order-repository.js';
import { fromCents } from '../../../domain/money.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { formatMoney } from '../format/format-money.js';
import { slackDate } from '../format/slack-date.js';
import { fieldsSection } from './fields-section.js';
import { context, section } from './layout-blocks.js';
import type { Block, SlackMessage } from './slack-message.js';

const STATUS_EMOJI: Record<string, string> = {
  pending: ':hourglass_flowing_sand:',
  processed: ':package:',
  shipped: ':truck:',
  partially_shipped: ':truck:',
  delivered: ':white_check_mark:',
  cancelled: ':x:',
  on_hold: ':double_vertical_bar:',
  exception: ':warning:',
};

/** Order total from its lines, in currency units. */
export function orderTotal(order: OrderRecord): number {
  return fromCents(order.lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0));
}

/** Net paid: payments minus refunds. */
function netPaid(order: OrderRecord): number {
  return fromCents(order.payments.reduce((s, p) => s + (p.kind === 'payment' ? p.amountCents : -p.amountCents), 0));
}

/** The blocks of one order card, to sit inside a larger message. */
export function orderCardBlocks(order: OrderRecord): Block[] {
  const items = order.lines
    .slice(0, 8)
    .map((l) => `${l.quantity}× ${escapeMrkdwn(l.name)} (${escapeMrkdwn(l.variantId)}) ${formatMoney(fromCents(l.priceCents), order.currency)}`)
    .concat(order.lines.length > 8 ? [`…and ${order.lines.length - 8} more`] : [])
    .join('\n');
  const tracking = order.shipments.filter((f) => f.status !== 'voided').flatMap((f) => f.trackingIds.map((t) => (f.carrier ? `${f.carrier} ${t}` : t)));
  const a = order.address;
  const fields: [string, string][] = [
    ['Status', `${STATUS_EMOJI[order.status] ?? ''} ${escapeMrkdwn(order.status)}`.trim()],
    ['Customer', escapeMrkdwn(order.customerId)],
    ['Total', `${formatMoney(orderTotal(order), order.currency)} (paid ${formatMoney(netPaid(order), order.currency)})`],
    ['Placed', slackDate(order.placedAt.toISOString())],
    ['Ship to', escapeMrkdwn(`${a.city}, ${a.state} ${a.zip}, ${a.country}`)],
    ['Tracking', tracking.length ? escapeMrkdwn(tracking.join(', ')) : 'not shipped'],
  ];
  if (order.holdReason) fields.push(['Hold reason', escapeMrkdwn(order.holdReason)]);
  return [
    section(`*Order ${escapeMrkdwn(order.id)}* · ${escapeMrkdwn(order.channel)}`),
    fieldsSection(fields),
    context(items || 'no items'),
  ];
}

export function orderCardFallback(order: OrderRecord): string {
  return `Order ${order.id}: ${order.status}, ${order.lines.reduce((n, l) => n + l.quantity, 0)} items, ${formatMoney(orderTotal(order), order.currency)}, customer ${order.customerId}`;
}

/** A message showing one order as fields, with a one-line plain-text fallback. */
export function orderCardMessage(order: OrderRecord): SlackMessage {
  return { text: orderCardFallback(order), blocks: orderCardBlocks(order) };
}
