import type { ApprovalService, ConfirmationResult } from '../../agent/approval-service.js';
import type { ApprovalView } from '../../agent/approval-view.js';
import { findConfirmationCodes } from '../../agent/confirmation-code.js';
import { changeOf, customerChangeWords } from '../../agent/customer-change-words.js';
import { renderPrompt } from '../../agent/prompt-library.js';
import type { EmailDelivery } from './email-delivery.js';
import type { EmailThread, EmailThreadStore, InboundOutcome } from './email-thread-store.js';
import type { InboundEmail } from './inbound-email.js';
import { newMessageId } from './message-ids.js';

/** The part of the approval service that confirmations need. */
export type ConfirmationPort = Pick<ApprovalService, 'issueConfirmation' | 'confirmRequester'>;

export interface MailboxConfirmationDeps {
  store: EmailThreadStore;
  delivery: EmailDelivery;
  /** Resolved when used: the channel gets its agent (and so the approval service) after it is built. */
  approvals: () => ConfirmationPort;
  supportAddress: string;
  storeName: string;
}

export interface ConfirmationAnswer {
  outcome: InboundOutcome;
  detail: string;
  replyMessageId: string;
}

/**
 * The email side of confirming a request from an unverified sender. The code goes in a mail of
 * its own to the thread's counterpart, the From address (never Reply-To), so only the owner of
 * that mailbox sees it; it counts only in a reply to that very mail, whose Message-ID is random.
 */
export interface MailboxConfirmation {
  /** Mails a fresh one-time code for an approval awaiting confirmation; returns the mail's Message-ID. */
  request(thread: EmailThread, mail: InboundEmail, approval: ApprovalView): Promise<string>;
  /**
   * When `mail` replies to one of this thread's confirmation mails and holds something shaped
   * like a code: checks it (one attempt) and answers. Null for any other mail, which then goes on
   * as an ordinary message.
   */
  answer(thread: EmailThread, mail: InboundEmail, cleanText: string): Promise<ConfirmationAnswer | null>;
}

const CLOSED_BECAUSE: Record<ApprovalView['status'], string> = {
  awaiting_confirmation: 'a newer code was sent for it',
  pending: 'the request was already confirmed',
  executed: 'the request was already decided',
  failed: 'the request was already decided',
  rejected: 'the request was closed',
  expired: 'the code expired',
};

export function createMailboxConfirmation(deps: MailboxConfirmationDeps): MailboxConfirmation {
  const { store, delivery } = deps;
  const store_name = deps.storeName;

  const replyTo = (thread: EmailThread, mail: InboundEmail, text: string, source: 'reply' | 'confirmation', messageId?: string) =>
    delivery.sendInThread({
      thread,
      parent: { messageId: mail.messageId, referenceIds: mail.references, subject: mail.subject },
      text,
      source,
      ...(messageId ? { messageId } : {}),
    });

  async function confirmationMailAnswered(thread: EmailThread, mail: InboundEmail): Promise<string | null> {
    for (const id of [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()]) {
      const sent = await store.getMessage(id);
      if (sent?.direction === 'outbound' && sent.source === 'confirmation' && sent.threadId === thread.id) return id;
    }
    return null;
  }

  function answerText(result: ConfirmationResult): { outcome: InboundOutcome; detail: string; text: string } {
    switch (result.outcome) {
      case 'confirmed':
        return {
          outcome: 'confirmed',
          detail: `approval ${result.approval.id} confirmed by code`,
          text: renderPrompt('email-confirm-accepted', { what: customerChangeWords(changeOf(result.approval)), approval_id: result.approval.id, store_name }),
        };
      case 'wrong_code':
        return {
          outcome: 'confirmation_refused',
          detail: `wrong code for approval ${result.approval.id}, ${result.attemptsLeft} attempts left`,
          text: renderPrompt('email-confirm-wrong-code', { attempts_left: result.attemptsLeft, store_name }),
        };
      case 'refused':
        return {
          outcome: 'confirmation_refused',
          detail: `approval ${result.approval.id} rejected after too many wrong codes`,
          text: renderPrompt('email-confirm-closed', { why: 'too many wrong codes were sent', store_name }),
        };
      case 'not_waiting':
        return {
          outcome: 'confirmation_refused',
          detail: `approval ${result.approval.id} is ${result.approval.status}`,
          text: renderPrompt('email-confirm-closed', { why: CLOSED_BECAUSE[result.approval.status], store_name }),
        };
      case 'unknown':
        return {
          outcome: 'confirmation_refused',
          detail: 'no confirmation under this Message-ID',
          text: renderPrompt('email-confirm-closed', { why: CLOSED_BECAUSE.awaiting_confirmation, store_name }),
        };
    }
  }

  return {
    async request(thread, mail, approval) {
      const messageId = newMessageId(deps.supportAddress);
      const { code, approval: issued } = await deps.approvals().issueConfirmation(approval.id, messageId);
      const minutes = Math.max(1, Math.round((new Date(issued.expiresAt).getTime() - Date.now()) / 60_000));
      const text = renderPrompt('email-confirm-request', { what: customerChangeWords(changeOf(issued)), code, minutes, approval_id: issued.id, store_name });
      return replyTo(thread, mail, text, 'confirmation', messageId);
    },

    async answer(thread, mail, cleanText) {
      const reference = await confirmationMailAnswered(thread, mail);
      if (!reference) return null;
      const codes = findConfirmationCodes(cleanText);
      if (codes.length === 0) return null;
      const { outcome, detail, text } = answerText(await deps.approvals().confirmRequester({ reference, codes }));
      return { outcome, detail, replyMessageId: await replyTo(thread, mail, text, 'reply') };
    },
  };
}
