import { randomUUID } from 'node:crypto';

const ID_PATTERN = /<[^<>\s]+>/g;

/**
 * The longest Message-ID kept, in bytes: RFC 5322's line limit. Ids are unique keys in an index,
 * and PostgreSQL refuses index entries over about 2.7 KB, so a longer one would fail the insert
 * after the mail was accepted.
 */
export const MAX_MESSAGE_ID_BYTES = 998;

const keepable = (id: string) => Buffer.byteLength(id, 'utf8') <= MAX_MESSAGE_ID_BYTES;

/**
 * A Message-ID as we store and compare it: trimmed and in angle brackets. Senders differ on
 * whether they send the brackets (Postmark's header list, some IMAP servers), so both forms meet
 * here. Returns null for a value that holds no id, or one longer than MAX_MESSAGE_ID_BYTES (the
 * mail is then keyed by a digest of its content).
 */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const bracketed = trimmed.match(ID_PATTERN);
  if (bracketed) return keepable(bracketed[0]) ? bracketed[0] : null;
  if (!trimmed || /\s/.test(trimmed)) return null;
  return keepable(trimmed) ? `<${trimmed}>` : null;
}

/** Every Message-ID in a References or In-Reply-To value, oldest first, without repeats. */
export function parseMessageIdList(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const found = text.match(ID_PATTERN) ?? [];
  if (found.length === 0) {
    const single = normalizeMessageId(text);
    return single ? [single] : [];
  }
  return [...new Set(found.filter(keepable))];
}

/** A fresh Message-ID in the support address's domain, so replies to it can be recognised. */
export function newMessageId(supportAddress: string): string {
  const domain = supportAddress.split('@')[1] ?? 'orderops.local';
  return `<${randomUUID()}@${domain}>`;
}
