import { DomainError } from '../../domain/domain-error.js';
import type { EmailDelivery } from './email-delivery.js';
import type { EmailThreadStore } from './email-thread-store.js';

/**
 * A person answers a handed-off mail: their text (or the drafted reply as it stands) goes to the
 * customer in the same thread, as an ordinary mail (no Auto-Submitted header: a person wrote it),
 * and the hand-off is closed. A hand-off is answered once.
 */
export async function answerHandoff(
  deps: { store: EmailThreadStore; delivery: EmailDelivery },
  handoffId: number,
  answer: { text: string } | { useDraft: true },
): Promise<{ messageId: string; to: string }> {
  const handoff = await deps.store.getHandoff(handoffId);
  if (!handoff) throw new DomainError('not_found', 'handoff_not_found', `email hand-off ${handoffId} not found`);
  if (handoff.status !== 'open') throw new DomainError('conflict', 'handoff_closed', `email hand-off ${handoffId} is already ${handoff.status}`);
  const text = 'text' in answer ? answer.text.trim() : handoff.draftReply.trim();
  if (!text) {
    throw new DomainError('invalid', 'empty_answer', `email hand-off ${handoffId}: ${'text' in answer ? 'the answer text is empty' : 'there is no draft to send; give the text'}`);
  }
  const thread = await deps.store.getThread(handoff.threadId);
  const parent = await deps.store.getMessage(handoff.messageId);
  if (!thread || !parent) throw new DomainError('not_found', 'handoff_thread_missing', `email hand-off ${handoffId}: its thread or message is gone`);
  if (!(await deps.store.closeHandoff(handoffId, 'sent'))) {
    throw new DomainError('conflict', 'handoff_closed', `email hand-off ${handoffId} was answered by someone else just now`);
  }
  const messageId = await deps.delivery.sendInThread({
    thread,
    parent: { messageId: parent.messageId, referenceIds: parent.referenceIds, subject: parent.subject },
    text,
    source: 'handoff',
  });
  return { messageId, to: thread.counterpart };
}
