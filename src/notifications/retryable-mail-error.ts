/**
 * Whether a failed hand-off to SMTP may pass later. A 5xx reply is the server's final word about
 * this mail (no such mailbox, refused content); a 4xx reply (greylisting, a full queue), a
 * dropped connection or a timeout says nothing about the mail itself.
 */
export function isRetryableMailError(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return !(typeof code === 'number' && code >= 500 && code < 600);
}
