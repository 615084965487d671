import type { SenderAuthentication } from './sender-authentication.js';

/** Where a mail came in; all three feed the same handler. */
export type InboundSource = 'smtp' | 'imap' | 'webhook';

export interface EmailAddress {
  /** Lower-cased address; the empty string when the header held none. */
  address: string;
  name: string;
}

export interface AttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
}

/**
 * One received mail, the same whatever door it came through. Plain JSON (dates as ISO strings)
 * so it can ride a job queue. Attachments are listed, never kept or opened.
 */
export interface InboundEmail {
  source: InboundSource;
  /** Bracketed Message-ID; a digest of the content when the mail carried none. */
  messageId: string;
  from: EmailAddress;
  to: string[];
  subject: string;
  /** The Date header, or the time of receipt. */
  date: string;
  inReplyTo: string | null;
  /** References header ids, oldest first. */
  references: string[];
  /**
   * The body as a mail client shows it (quoted history included): from the HTML with hidden
   * elements removed when there is HTML, else the text parts. Never contains NUL.
   */
  text: string;
  /** Every header line, lower-cased name to unfolded values, in order of appearance. */
  headers: Record<string, string[]>;
  /** SMTP MAIL FROM; the empty string is the null sender of a bounce; null when unknown (webhook, IMAP). */
  envelopeFrom: string | null;
  attachments: AttachmentInfo[];
  sizeBytes: number;
  /**
   * The SMTP door's own SPF/DKIM/DMARC verdict on the From address, set only when it is the first
   * hop (EMAIL_AUTHSERV_ID unset). No other door sets it, and the handler reads it only for SMTP mail.
   */
  senderAuth?: SenderAuthentication;
}

/** All values of one header (case-insensitive name). */
export function headerValues(mail: Pick<InboundEmail, 'headers'>, name: string): string[] {
  return mail.headers[name.toLowerCase()] ?? [];
}

/** The first value of one header, or null. */
export function headerValue(mail: Pick<InboundEmail, 'headers'>, name: string): string | null {
  return headerValues(mail, name)[0] ?? null;
}
