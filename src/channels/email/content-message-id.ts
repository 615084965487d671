import { createHash } from 'node:crypto';

/**
 * A stable stand-in Message-ID for a mail that carried none, so a redelivery of the same bytes
 * is still recognised as a duplicate.
 */
export function contentMessageId(content: string | Buffer): string {
  return `<sha256-${createHash('sha256').update(content).digest('hex').slice(0, 32)}@no-message-id.invalid>`;
}
