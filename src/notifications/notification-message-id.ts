import { createHash } from 'node:crypto';

/**
 * The Message-ID of a notification mail, derived from its idempotency key: a retry after a crash
 * (handed to SMTP, not yet recorded) presents the same id, so the receiving side can tell the
 * second copy for what it is. In the sender's domain, as our other Message-IDs are.
 */
export function notificationMessageId(idempotencyKey: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'orderops.local';
  const digest = createHash('sha256').update(`notification\n${idempotencyKey}`).digest('hex').slice(0, 32);
  return `<notification.${digest}@${domain}>`;
}
