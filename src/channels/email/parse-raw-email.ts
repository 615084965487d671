import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { contentMessageId } from './content-message-id.js';
import { EmailTooLargeError } from './email-too-large-error.js';
import type { EmailAddress, InboundEmail, InboundSource } from './inbound-email.js';
import { normalizeMessageId, parseMessageIdList } from './message-ids.js';
import { storableEmail } from './storable-text.js';
import { UnparseableEmailError } from './unparseable-email-error.js';
import { visibleHtmlText } from './visible-html-text.js';

export interface RawEmailContext {
  source: InboundSource;
  maxBytes: number;
  envelopeFrom?: string | null;
  receivedAt?: Date;
}

function firstAddress(field: AddressObject | AddressObject[] | undefined): EmailAddress {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  for (const obj of list) {
    for (const entry of obj.value) {
      const mailbox = entry.address ? entry : entry.group?.find((g) => g.address);
      if (mailbox?.address) return { address: mailbox.address.toLowerCase(), name: mailbox.name ?? '' };
    }
  }
  return { address: '', name: '' };
}

function allAddresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((obj) =>
    obj.value.flatMap((e) => (e.address ? [e.address] : (e.group ?? []).map((g) => g.address ?? ''))),
  ).filter(Boolean).map((a) => a.toLowerCase());
}

/** Header lines as `name: [values]`, unfolded, names lower-cased. */
export function headerMap(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    (headers[key.toLowerCase()] ??= []).push(value);
  }
  return headers;
}

/**
 * Parses a raw RFC 5322 message (as the SMTP server or IMAP hands it over) into an InboundEmail.
 * Attachment bodies are decoded by the parser but only their name, type and size are kept.
 *
 * The text is what a mail client shows. When the mail has HTML, it comes from the HTML with
 * every hidden element removed (visibleHtmlText), and a text/plain alternative is not read: it is
 * what a person viewing the mail does not see, so an instruction placed there, like one hidden
 * in the HTML, never reaches the model. In a multipart/mixed mail the parser folds the text parts
 * into that HTML, so they are read too. Without HTML, the text parts are read as they are.
 *
 * NUL characters and lone surrogates are removed from every string (see storableText). Throws
 * EmailTooLargeError over `maxBytes`, UnparseableEmailError when the parser refuses the structure.
 */
export async function parseRawEmail(raw: Buffer, context: RawEmailContext): Promise<InboundEmail> {
  if (raw.length > context.maxBytes) throw new EmailTooLargeError(raw.length, context.maxBytes);
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      // The parser's own HTML-to-text keeps hidden text; the text is derived below instead.
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
  } catch (err) {
    throw new UnparseableEmailError((err as Error).message);
  }
  const text = typeof parsed.html === 'string' && parsed.html !== '' ? visibleHtmlText(parsed.html) : (parsed.text ?? '');
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : (context.receivedAt ?? new Date());
  return storableEmail({
    source: context.source,
    messageId: normalizeMessageId(parsed.messageId) ?? contentMessageId(raw),
    from: firstAddress(parsed.from),
    to: [...allAddresses(parsed.to), ...allAddresses(parsed.cc)],
    subject: parsed.subject ?? '',
    date: date.toISOString(),
    inReplyTo: parseMessageIdList(parsed.inReplyTo)[0] ?? null,
    references: parseMessageIdList(parsed.references),
    text,
    headers: headerMap(parsed.headerLines),
    envelopeFrom: context.envelopeFrom === undefined ? null : context.envelopeFrom,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      size: a.size,
    })),
    sizeBytes: raw.length,
  });
}
