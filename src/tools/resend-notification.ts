import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { resendNotification as resend } from '../notifications/resend-notification.js';
import { defineTool } from './tool.js';

export const resendNotification = defineTool({
  name: 'resend_notification',
  description:
    'Sends a notification again (the same text to the same address or number), as a new message that points at the original; find the message id with list_order_notifications. Refused while the original is still queued or sending, and when the customer has opted out of that channel (a message suppressed for an SMS STOP stays unsent until they text START).',
  tier: 'write',
  input: z.object({
    message_id: z.number().int().positive().describe('The notification message to send again, as list_order_notifications returns it.'),
  }),
  async run(args, ctx) {
    const resent = await resend(ctx.db, args.message_id, ctx.actor);
    if (!resent) throw new DomainError('not_found', 'notification_not_found', `notification message ${args.message_id} not found`);
    return { resent: true, message_id: resent.id, resend_of: args.message_id };
  },
});
