import { parseAddressHeader } from 'mailparser';
import { z } from 'zod';
import { contentMessageId } from './content-message-id.js';
import { EmailTooLargeError } from './email-too-large-error.js';
import type { InboundEmail } from './inbound-email.js';
import { normalizeMessageId, parseMessageIdList } from './message-ids.js';
import { storableEmail } from './storable-text.js';
import { visibleHtmlText } from './visible-html-text.js';

const address = z.object({ Email: z.string(), Name: z.string().optional().default('') });

/** The part of Postmark's inbound webhook JSON that we read; other fields pass unread. */
export const postmarkInboundSchema = z.object({
  From: z.string().optional(),
  FromName: z.string().optional(),
  FromFull: address.optional(),
  To: z.string().optional(),
  ToFull: z.array(address).optional(),
  CcFull: z.array(address).optional(),
  Subject: z.string().optional().default(''),
  MessageID: z.string().optional(),
  Date: z.string().optional(),
  TextBody: z.string().optional().default(''),
  HtmlBody: z.string().optional().default(''),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional().default([]),
  Attachments: z
    .array(z.object({ Name: z.string().optional().default(''), ContentType: z.string().optional().default(''), ContentLength: z.number().int().min(0).optional().default(0) }))
    .optional()
    .default([]),
});

export type PostmarkInbound = z.infer<typeof postmarkInboundSchema>;

/**
 * Turns Postmark's inbound JSON into an InboundEmail. The mail's own Message-ID, In-Reply-To and
 * References come from its header list (Postmark's `MessageID` is Postmark's id, used only when
 * the mail had none). Attachment content is never decoded. As for raw mail (parseRawEmail), the
 * text is what a mail client shows: HtmlBody with hidden elements removed when there is one,
 * TextBody otherwise; NUL characters and lone surrogates are removed from every string. Throws
 * UnparseableEmailError for HTML too deeply nested to read.
 */
export async function postmarkToInboundEmail(body: PostmarkInbound, options: { maxBytes: number }): Promise<InboundEmail> {
  const attachmentBytes = body.Attachments.reduce((n, a) => n + a.ContentLength, 0);
  const sizeBytes = Buffer.byteLength(body.TextBody) + Buffer.byteLength(body.HtmlBody) + attachmentBytes;
  if (sizeBytes > options.maxBytes) throw new EmailTooLargeError(sizeBytes, options.maxBytes);

  const headers: Record<string, string[]> = {};
  for (const h of body.Headers) (headers[h.Name.toLowerCase()] ??= []).push(h.Value.replace(/\r?\n[ \t]+/g, ' ').trim());
  const header = (name: string) => headers[name]?.[0];

  const fromAddress = body.FromFull?.Email ?? parseAddressHeader(body.From ?? '', { flatten: true }).value[0]?.address ?? '';
  const fromName = body.FromFull?.Name ?? body.FromName ?? '';
  const to = [...(body.ToFull ?? []), ...(body.CcFull ?? [])].map((a) => a.Email.toLowerCase());
  if (to.length === 0 && body.To) to.push(...parseAddressHeader(body.To, { flatten: true }).value.map((a) => (a.address ?? '').toLowerCase()).filter(Boolean));

  const date = body.Date ? new Date(body.Date) : new Date();
  const text = body.HtmlBody ? visibleHtmlText(body.HtmlBody) : body.TextBody;
  const messageId =
    normalizeMessageId(header('message-id')) ??
    normalizeMessageId(body.MessageID) ??
    contentMessageId(JSON.stringify(body));
  return storableEmail({
    source: 'webhook',
    messageId,
    from: { address: fromAddress.toLowerCase(), name: fromName },
    to,
    subject: body.Subject,
    date: Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString(),
    inReplyTo: parseMessageIdList(header('in-reply-to'))[0] ?? null,
    references: parseMessageIdList(headers['references']),
    text,
    headers,
    envelopeFrom: null,
    attachments: body.Attachments.map((a) => ({ filename: a.Name, contentType: a.ContentType, size: a.ContentLength })),
    sizeBytes,
  });
}
