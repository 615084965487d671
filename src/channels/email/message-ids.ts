import { randomUUID } from 'node:crypto';

const ID_PATTERN = /<[^<>\s]+>/g;

/**
 * A Message-ID as we store and compare it: trimmed and in angle brackets. Senders differ on
 * whether they send the brackets (Postmark's header list, some IMAP servers), so both forms meet
 * here. Returns null for a value that holds no id.
 */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const bracketed = trimmed.match(ID_PATTERN);
  if (bracketed) return bracketed[0];
  if (!trimmed || /\s/.test(trimmed)) return null;
  return `<${trimmed}>`;
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
  return [...new Set(found)];
}

/** A fresh Message-ID in the support address's domain, so replies to it can be recognised. */
export function newMessageId(supportAddress: string): string {
  const domain = supportAddress.split('@')[1] ?? 'orderops.local';
  return `<${randomUUID()}@${domain}>`;
}
