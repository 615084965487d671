import type { Db } from '../db/db.js';
import { maskRecipient } from './mask-recipient.js';

/** One message as staff, the customer and the agent see it: the recipient masked, no bodies. */
export interface NotificationMessageView {
  id: number;
  workflow: string;
  template: string;
  category: 'transactional' | 'marketing';
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  status: string;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  resend_of: number | null;
}

interface Row {
  id: string | number;
  workflow_id: string;
  template: string;
  category: NotificationMessageView['category'];
  channel: NotificationMessageView['channel'];
  recipient: string;
  subject: string;
  status: string;
  error: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
  resend_of: string | number | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** Every message about the order, queued, sent or refused, oldest first. */
export async function listOrderNotifications(db: Db, orderId: string): Promise<NotificationMessageView[]> {
  const { rows } = await db.query<Row>(
    `SELECT id, workflow_id, template, category, channel, recipient, subject, status, error, created_at, sent_at, resend_of
       FROM notification_messages WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    workflow: r.workflow_id,
    template: r.template,
    category: r.category,
    channel: r.channel,
    recipient: maskRecipient(r.recipient),
    subject: r.subject,
    status: r.status,
    error: r.error,
    created_at: iso(r.created_at),
    sent_at: r.sent_at ? iso(r.sent_at) : null,
    resend_of: r.resend_of === null ? null : Number(r.resend_of),
  }));
}

/** Whose message this is (its customer id), or null for a message that does not exist. */
export async function notificationMessageOwner(db: Db, messageId: number): Promise<string | null> {
  const { rows } = await db.query<{ customer_id: string }>('SELECT customer_id FROM notification_messages WHERE id = $1', [messageId]);
  return rows[0]?.customer_id ?? null;
}
