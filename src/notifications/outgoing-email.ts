/** One mail to send, as every sender of ours builds it (replies, approval outcomes, notifications). */
export interface OutgoingEmail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to `text` (notifications); replies are plain text only. */
  html?: string;
  /** Bracketed Message-ID we minted, recorded in the thread before sending. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Extra headers, such as Auto-Submitted or List-Unsubscribe, written as given. */
  headers: Record<string, string>;
}

/** What the next hop took. */
export interface SentEmail {
  messageId: string;
  /** Recipients the next hop accepted. */
  accepted: string[];
}

/**
 * Where notification mail goes out: the email channel's outbound mailer (SMTP or .eml files)
 * satisfies it. `send` resolves once the next hop has accepted the mail and throws otherwise; an
 * error carrying an SMTP `responseCode` of 500 or more is a refusal that a retry will not change,
 * anything else (4xx, a dropped connection, a timeout) may pass later.
 */
export interface NotificationMailer {
  readonly kind: string;
  send(mail: OutgoingEmail): Promise<SentEmail>;
}
