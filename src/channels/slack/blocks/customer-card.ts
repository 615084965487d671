import type { RetailUser } from '../../../domain/customers/retail-user.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { fieldsSection } from './fields-section.js';
import { context, section } from './layout-blocks.js';
import type { Block, SlackMessage } from './slack-message.js';

/** The blocks of one customer card: contact, place, payment methods and recent orders as fields. */
export function customerCardBlocks(customerId: string, customer: RetailUser): Block[] {
  const methods = Object.values(customer.payment_methods).map((m) =>
    m.source === 'credit_card' ? `${m.brand} •${m.last_four}` : m.source === 'gift_card' ? `gift card ($${m.balance})` : 'PayPal',
  );
  const a = customer.address;
  return [
    section(`*${escapeMrkdwn(`${customer.name.first_name} ${customer.name.last_name}`)}* · \`${escapeMrkdwn(customerId)}\``),
    fieldsSection([
      ['Email', escapeMrkdwn(customer.email)],
      ['Lives in', escapeMrkdwn(`${a.city}, ${a.state}, ${a.country}`)],
      ['Orders', String(customer.orders.length)],
      ['Pays with', escapeMrkdwn(methods.join(', ')) || '—'],
    ]),
    context(customer.orders.length ? `Recent orders: ${customer.orders.slice(-5).map(escapeMrkdwn).join(', ')}` : 'no orders yet'),
  ];
}

export function customerCardMessage(customerId: string, customer: RetailUser): SlackMessage {
  return {
    text: `Customer ${customer.name.first_name} ${customer.name.last_name} (${customerId}), ${customer.email}, ${customer.orders.length} orders`,
    blocks: customerCardBlocks(customerId, customer),
  };
}
