import type { AgentService, TurnResult } from '../../agent/agent-service.js';
import { renderPrompt } from '../../agent/prompt-library.js';
import type { Db } from '../../db/db.js';
import { findCustomerIdByEmail } from '../../domain/customers/customer-repository.js';
import { loadOrders } from '../../domain/orders/order-repository.js';
import { autoReplyBlocker } from './auto-reply-blocker.js';
import { capTextForModel } from './cap-text-for-model.js';
import type { EmailDelivery } from './email-delivery.js';
import type { EmailThread, EmailThreadStore, InboundOutcome } from './email-thread-store.js';
import type { InboundEmail } from './inbound-email.js';
import { admitInboundEmail, type InboundRateLimitSettings } from './inbound-rate-limit.js';
import { createKeyedSerializer } from './keyed-serializer.js';
import type { MailboxConfirmation } from './mailbox-confirmation.js';
import { emailRequesterVerification } from './sender-authentication.js';
import { senderVerdict } from './sender-verdict.js';
import { shipmentDetails } from './shipment-details.js';
import { stripQuotedText } from './strip-quoted-text.js';

export interface InboundEmailSettings extends InboundRateLimitSettings {
  SUPPORT_EMAIL: string;
  STORE_NAME: string;
  EMAIL_REPLIES_PER_HOUR: number;
  EMAIL_AUTHSERV_ID?: string | undefined;
  EMAIL_MODEL_TEXT_BYTES: number;
}

export interface InboundEmailHandlerDeps {
  db: Db;
  config: InboundEmailSettings;
  store: EmailThreadStore;
  delivery: EmailDelivery;
  agent: Pick<AgentService, 'runTurn'>;
  confirmation: MailboxConfirmation;
  /** The signed link of an order's public tracking page, given in every "where is my order" answer. */
  trackingPage: (orderId: string) => string;
  log?: (message: string) => void;
}

export interface InboundReport {
  messageId: string;
  outcome: InboundOutcome | 'duplicate';
  detail: string;
  threadId: number | null;
  replyMessageId: string | null;
}

const greetingName = (mail: InboundEmail) => mail.from.name.trim().split(/\s+/)[0] || 'there';

/** The subject without Re:/Fwd: prefixes, when it says something the body might not. */
function subjectLine(subject: string): string {
  return subject.replace(/^((re|fwd?|aw|wg|sv)\s*:\s*)+/i, '').trim();
}

/**
 * What every inbound door (SMTP, IMAP, webhook) hands its mail to. In order: drop duplicates and
 * mail that must not be answered (loops, bounces, lists, no-reply senders); find or open the
 * thread (only through a Message-ID we sent); decide who is writing (the From address matched to
 * a customer, and whether its domain vouched for it); apply the per-sender rate limit; then either
 * ask an unknown sender to identify themselves (without a word about any order), take a code sent
 * back for a confirmation, or run the agent with the customer toolset bound to that one customer,
 * and reply. Every reply goes to the From address, never to Reply-To, so an unverified sender
 * learns nothing the mailbox owner does not see; a change they ask for waits for that owner to
 * confirm by code before staff can approve it.
 *
 * The mail's text goes to the model as the customer's message and nothing more: what can happen
 * is decided by the bound toolset and the approval gate, not by anything the mail says.
 */
export function createInboundEmailHandler(deps: InboundEmailHandlerDeps) {
  const { config, store, delivery } = deps;
  const log = deps.log ?? (() => {});
  const serialize = createKeyedSerializer();

  async function reply(thread: EmailThread, mail: InboundEmail, text: string): Promise<string> {
    return delivery.sendInThread({
      thread,
      parent: { messageId: mail.messageId, referenceIds: mail.references, subject: mail.subject },
      text,
      source: 'reply',
    });
  }

  async function findOrOpenThread(mail: InboundEmail, customerId: string | null): Promise<EmailThread> {
    const related = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references];
    const existing = await store.findThread(mail.from.address, related);
    if (existing) return existing;
    return store.createThread({
      rootMessageId: mail.messageId,
      counterpart: mail.from.address,
      subject: subjectLine(mail.subject),
      customerId,
    });
  }

  async function answerText(result: TurnResult, customerId: string, mail: InboundEmail): Promise<string> {
    // Order ids the answer mentions (they carry digits, like #W1234567); only this customer's count.
    const tokens = [...new Set(result.reply.match(/#?[A-Za-z0-9][A-Za-z0-9_-]{3,}/g) ?? [])].filter((t) => /\d/.test(t));
    const mentioned = (await loadOrders(deps.db, tokens)).filter((o) => o.customerId === customerId);
    const details = mentioned.map((o) => shipmentDetails(o, deps.trackingPage)).filter(Boolean).join('\n\n');
    return renderPrompt('email-reply', {
      name: greetingName(mail),
      answer: result.reply.trim(),
      details: details ? `\n${details}\n` : '',
      store_name: config.STORE_NAME,
    });
  }

  async function process(mail: InboundEmail): Promise<InboundReport> {
    const cleanText = stripQuotedText(mail.text);
    const report = (outcome: InboundReport['outcome'], detail: string, threadId: number | null = null, replyMessageId: string | null = null): InboundReport => ({
      messageId: mail.messageId, outcome, detail, threadId, replyMessageId,
    });

    if (!(await store.claimInbound(mail, cleanText))) return report('duplicate', 'Message-ID already seen');

    const blocked = autoReplyBlocker(mail, { supportAddress: config.SUPPORT_EMAIL });
    if (blocked) {
      await store.settleInbound(mail.messageId, { outcome: 'ignored', detail: blocked });
      log(`email ${mail.messageId} from ${mail.from.address}: not answered (${blocked})`);
      return report('ignored', blocked);
    }

    const auth = senderVerdict(mail, { trustedAuthservId: config.EMAIL_AUTHSERV_ID });
    const customerId = await findCustomerIdByEmail(deps.db, mail.from.address);
    const thread = await findOrOpenThread(mail, customerId);
    const settle = (outcome: InboundOutcome, detail: string) =>
      store.settleInbound(mail.messageId, { threadId: thread.id, outcome, detail, senderVerified: auth.verified, customerId });

    // Per sender and for all senders together; mail over a limit stays stored, unanswered.
    const admission = await admitInboundEmail(store, mail, config);
    if (!admission.allowed) {
      await settle('rate_limited', admission.detail);
      return report('rate_limited', admission.detail, thread.id);
    }

    if (!customerId) {
      const why = 'no customer has this email address';
      const alreadyAsked = (await store.threadMessages(thread.id)).some((m) => m.direction === 'outbound');
      if (alreadyAsked) {
        // They answered our request for details; matching an order number to a checkout email is
        // a person's call, because anyone can type both.
        await store.openHandoff({ threadId: thread.id, messageId: mail.messageId, draftReply: '', reason: `identity check: ${why}` });
        const replyId = await reply(thread, mail, renderPrompt('email-handoff-ack', { name: greetingName(mail), store_name: config.STORE_NAME }));
        await settle('handed_off', `identity check by a person: ${why}`);
        return report('handed_off', why, thread.id, replyId);
      }
      const replyId = await reply(thread, mail, renderPrompt('email-verify-identity', { store_name: config.STORE_NAME }));
      await settle('asked_to_verify', why);
      return report('asked_to_verify', why, thread.id, replyId);
    }

    const confirmed = await deps.confirmation.answer(thread, mail, cleanText);
    if (confirmed) {
      await settle(confirmed.outcome, confirmed.detail);
      return report(confirmed.outcome, confirmed.detail, thread.id, confirmed.replyMessageId);
    }

    if (thread.customerId === null) await store.setCustomer(thread.id, customerId);
    const subject = subjectLine(mail.subject);
    const firstInThread = thread.rootMessageId === mail.messageId;
    const text = firstInThread && subject && !cleanText.toLowerCase().includes(subject.toLowerCase()) ? `${subject}\n\n${cleanText}` : cleanText;
    const result = await deps.agent.runTurn({
      channel: 'email',
      threadKey: thread.rootMessageId,
      // The whole text is stored (claimInbound); the model reads a bounded part of it.
      text: capTextForModel(text || subject || '(empty message)', config.EMAIL_MODEL_TEXT_BYTES),
      requester: { kind: 'person', id: mail.from.address },
      verification: emailRequesterVerification(auth),
      persona: 'customer',
      customerId,
    });

    if (result.approvals.length > 0) {
      const replyId = await reply(thread, mail, await answerText(result, customerId, mail));
      const waiting = result.approvals.filter((a) => a.status === 'awaiting_confirmation');
      for (const approval of waiting) await deps.confirmation.request(thread, mail, approval);
      const ids = result.approvals.map((a) => a.id).join(', ');
      await settle('approval_requested', `approval ${ids}${waiting.length ? `; code mailed for ${waiting.map((a) => a.id).join(', ')}` : ''}`);
      return report('approval_requested', ids, thread.id, replyId);
    }
    if (result.handedOff) {
      // The person who takes over starts from the assistant's draft; the customer is told, in the
      // assistant's words, that someone will reply.
      await store.openHandoff({ threadId: thread.id, messageId: mail.messageId, draftReply: result.reply, reason: 'the assistant handed the request to a person' });
      const replyId = await reply(thread, mail, await answerText(result, customerId, mail));
      await settle('handed_off', 'drafted reply kept for a person');
      return report('handed_off', 'drafted reply kept for a person', thread.id, replyId);
    }
    const replyId = await reply(thread, mail, await answerText(result, customerId, mail));
    await settle('answered', `${result.provider}: ${result.toolCalls.map((c) => c.name).join(', ') || 'no tools'}`);
    return report('answered', result.provider, thread.id, replyId);
  }

  return {
    /** Handles one mail; throws only when it should be retried (the mail is then kept as failed). */
    async handle(mail: InboundEmail): Promise<InboundReport> {
      return serialize(mail.from.address || mail.messageId, async () => {
        try {
          return await process(mail);
        } catch (err) {
          await store
            .settleInbound(mail.messageId, { outcome: 'failed', detail: (err as Error).message })
            .catch(() => undefined);
          throw err;
        }
      });
    },
  };
}

export type InboundEmailHandler = ReturnType<typeof createInboundEmailHandler>;
