import { headerValue, headerValues, type InboundEmail } from './inbound-email.js';

const NOREPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?)([-+_.].*)?$/i;
const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk', 'auto_reply', 'auto-reply']);
const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-post', 'list-help', 'mailing-list'];
const AUTORESPONDER_HEADERS = ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply-from'];

export interface AutoReplyBlockerOptions {
  /** The store's own support address: mail from it is our own reply coming back. */
  supportAddress: string;
}

/**
 * Why this mail must not get an automatic reply, or null when it may. Follows RFC 3834 (never
 * answer an auto-submitted message), and the habits of list servers, bounce generators and
 * autoresponders, so two robots never answer each other in a loop.
 */
export function autoReplyBlocker(mail: InboundEmail, options: AutoReplyBlockerOptions): string | null {
  const from = mail.from.address;
  if (!from) return 'no sender address';
  if (from === options.supportAddress.toLowerCase()) return 'sent from our own support address';

  const autoSubmitted = headerValue(mail, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;

  const suppress = headerValue(mail, 'x-auto-response-suppress')?.toLowerCase();
  if (suppress && /\b(all|autoreply|oof)\b/.test(suppress)) return `X-Auto-Response-Suppress: ${suppress}`;

  if (AUTORESPONDER_HEADERS.some((h) => headerValues(mail, h).length > 0)) return 'autoresponder header';

  const precedence = headerValue(mail, 'precedence')?.toLowerCase().trim();
  if (precedence && BULK_PRECEDENCE.has(precedence)) return `Precedence: ${precedence}`;

  const listHeader = LIST_HEADERS.find((h) => headerValues(mail, h).length > 0);
  if (listHeader) return `mailing list (${listHeader})`;

  if (mail.envelopeFrom === '') return 'bounce (null envelope sender)';
  const returnPath = headerValue(mail, 'return-path');
  if (returnPath !== null && /^<\s*>$/.test(returnPath.trim())) return 'bounce (empty Return-Path)';
  const contentType = headerValue(mail, 'content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report') && /report-type="?(delivery-status|disposition-notification)/.test(contentType)) {
    return 'bounce or read receipt (multipart/report)';
  }

  const local = from.split('@')[0] ?? '';
  if (NOREPLY_LOCAL.test(local)) return `no-reply sender (${from})`;

  const loop = headerValues(mail, 'x-loop').map((v) => v.toLowerCase());
  if (loop.some((v) => v.includes(options.supportAddress.toLowerCase()))) return 'X-Loop names our support address';

  return null;
}
