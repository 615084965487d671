import { maskConfirmationCodes } from '../../agent/confirmation-code.js';
import type { EmailThread, EmailThreadStore, OutboundRecord } from './email-thread-store.js';
import { newMessageId } from './message-ids.js';
import type { OutboundMailer } from './outbound-mailer.js';
import { automaticMailHeaders, replyReferences, replySubject } from '../../notifications/reply-headers.js';
import { isRetryableMailError } from '../../notifications/retryable-mail-error.js';

export interface ThreadReply {
  thread: EmailThread;
  /** The message answered: In-Reply-To points at it, References extend its chain. */
  parent: { messageId: string; referenceIds: string[]; subject: string };
  text: string;
  source: OutboundRecord['source'];
  /** A Message-ID minted beforehand (newMessageId), when the caller must know it before the mail exists. */
  messageId?: string;
}

/**
 * Sends our mail in a thread. A mail is first recorded (so it counts for the rate limit and
 * survives a crash), then delivered, inline or by the email-outbound job, which retries.
 */
export interface EmailDelivery {
  /** Records one mail answering `parent` and hands it to delivery; returns its Message-ID. */
  sendInThread(reply: ThreadReply): Promise<string>;
  /**
   * Sends a recorded mail that is still queued; a no-op for one already sent or failed. Throws
   * when the send may pass later (the caller's retry sends it); a 5xx reply marks the mail failed.
   */
  deliver(messageId: string): Promise<void>;
}

export interface EmailDeliveryDeps {
  store: EmailThreadStore;
  mailer: OutboundMailer;
  supportAddress: string;
  storeName: string;
  /** Hands a recorded mail to delivery: the outbound job queue, or `deliver` itself when omitted. */
  dispatch?: (messageId: string) => Promise<void>;
}

export function createEmailDelivery(deps: EmailDeliveryDeps): EmailDelivery {
  const delivery: EmailDelivery = {
    async sendInThread(reply) {
      const messageId = reply.messageId ?? newMessageId(deps.supportAddress);
      await deps.store.recordOutbound({
        messageId,
        threadId: reply.thread.id,
        source: reply.source,
        counterpart: reply.thread.counterpart,
        fromAddress: deps.supportAddress,
        toAddresses: [reply.thread.counterpart],
        subject: replySubject(reply.parent.subject || reply.thread.subject),
        inReplyTo: reply.parent.messageId,
        referenceIds: replyReferences(reply.parent),
        bodyText: reply.text,
      });
      await (deps.dispatch ?? delivery.deliver)(messageId);
      return messageId;
    },

    async deliver(messageId) {
      const message = await deps.store.getMessage(messageId);
      if (!message || message.direction !== 'outbound' || message.outcome !== 'queued') return;
      const headers =
        message.source === 'reply'
          ? automaticMailHeaders('auto-replied')
          : message.source === 'approval-outcome' || message.source === 'confirmation'
            ? automaticMailHeaders('auto-generated')
            : {};
      const settle = async (outcome: 'sent' | 'failed', detail: string) => {
        await deps.store.settleOutbound(messageId, outcome, detail);
        // Only its hash is kept with the approval; the plain code lives only until the mail is out (or never will be).
        if (message.source === 'confirmation') await deps.store.replaceOutboundText(messageId, maskConfirmationCodes(message.bodyText));
      };
      try {
        await deps.mailer.send({
          from: { name: deps.storeName, address: deps.supportAddress },
          to: message.toAddresses[0] ?? message.counterpart,
          subject: message.subject,
          text: message.bodyText,
          messageId: message.messageId,
          inReplyTo: message.inReplyTo,
          references: message.referenceIds,
          headers,
        });
      } catch (err) {
        if (isRetryableMailError(err)) throw err;
        // The server's final word about this mail (no such mailbox, refused content): no retry changes it.
        await settle('failed', err instanceof Error ? err.message : String(err));
        return;
      }
      await settle('sent', deps.mailer.kind);
    },
  };
  return delivery;
}
