import { createHash } from 'node:crypto';
import type { InboundSource } from './inbound-email.js';
import { storableText } from './storable-text.js';

/**
 * A mail kept for a person because it can never be read: the parser refused it, or (IMAP) it
 * is over EMAIL_MAX_BYTES and was left unread. Stored as an inbound email_messages row with this
 * outcome, so it shows in the ledger next to every other mail; no model ever sees it.
 */
export interface UnparseableEmail {
  /** Stable per content (or per mailbox and UID), so a redelivery is stored once. */
  messageId: string;
  source: InboundSource;
  outcome: 'unparseable' | 'too_large';
  reason: string;
  /** The sender as best it can be told without parsing (envelope, or From as written); '' when unknown. */
  from: string;
  to: string[];
  /** The Subject header as written (not decoded), shortened. */
  subject: string;
  /** What arrived (raw message, or the webhook's JSON), for a person to read; null when not fetched. */
  raw: Buffer | null;
  sizeBytes: number;
}

const MAX_HEAD = 64 * 1024;

function headerLine(head: string, name: string): string {
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return (match?.[1] ?? '').replace(/\r?\n[ \t]+/g, ' ').trim();
}

function addressIn(value: string): string {
  const found = /<([^<>\s@]+@[^<>\s]+)>/.exec(value)?.[1] ?? /[^\s<>"',;:]+@[^\s<>"',;:]+/.exec(value)?.[0] ?? '';
  return found.toLowerCase();
}

const idFor = (seed: Buffer | string) => `<sha256-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}@unparseable.invalid>`;

/**
 * The record for a message that could not be parsed, `raw` being what arrived. Sender and
 * subject, unless given, are read straight from its header block, as far as it goes, without
 * decoding anything.
 */
export function unparseableFromRaw(
  raw: Buffer,
  input: { source: InboundSource; reason: string; envelopeFrom?: string | null; envelopeTo?: string[]; subject?: string },
): UnparseableEmail {
  const text = raw.subarray(0, MAX_HEAD).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  return {
    messageId: idFor(raw),
    source: input.source,
    outcome: 'unparseable',
    reason: storableText(input.reason),
    from: storableText(input.envelopeFrom || addressIn(headerLine(head, 'from'))),
    to: (input.envelopeTo ?? []).map((a) => storableText(a.toLowerCase())),
    subject: storableText(input.subject ?? headerLine(head, 'subject')).slice(0, 300),
    raw,
    sizeBytes: raw.length,
  };
}

/** The record for a mail left unread in an IMAP mailbox because of its size. */
export function tooLargeInMailbox(input: { mailbox: string; uidValidity: string; uid: number; sizeBytes: number; maxBytes: number }): UnparseableEmail {
  return {
    messageId: idFor(`imap:${input.mailbox}:${input.uidValidity}:${input.uid}`),
    source: 'imap',
    outcome: 'too_large',
    reason: `${input.sizeBytes} bytes, over EMAIL_MAX_BYTES (${input.maxBytes}); left unread in ${input.mailbox} as UID ${input.uid}`,
    from: '',
    to: [],
    subject: '',
    raw: null,
    sizeBytes: input.sizeBytes,
  };
}
