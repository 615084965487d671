import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { NotificationMailer, OutgoingEmail, SentEmail } from '../../notifications/outgoing-email.js';

export type { OutgoingEmail };

export interface SendResult extends SentEmail {
  /** The .eml file written, when sending to the outbox. */
  file?: string;
}

/**
 * Sends mail out: through nodemailer to SMTP_URL, or, with nothing configured, as .eml files
 * under DATA_DIR/outbox/ that a person (or a test) can open.
 */
export interface OutboundMailer extends NotificationMailer {
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingEmail): Promise<SendResult>;
  close(): Promise<void>;
}

function toNodemailer(mail: OutgoingEmail): SendMailOptions {
  return {
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references.length ? { references: mail.references } : {}),
    headers: mail.headers,
  };
}

export function createOutboundMailer(config: { SMTP_URL?: string | undefined; DATA_DIR: string }): OutboundMailer {
  if (config.SMTP_URL) {
    // A pool keeps connections open between replies; a burst of mail would otherwise pay a
    // TCP + EHLO round trip per message.
    const transport = nodemailer.createTransport({ url: config.SMTP_URL, pool: true, maxConnections: 4 } as never);
    return {
      kind: 'smtp',
      async send(mail) {
        const info = await transport.sendMail(toNodemailer(mail));
        const accepted = (info.accepted as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address));
        if (accepted.length === 0) throw new Error(`the SMTP server at SMTP_URL refused every recipient of ${mail.messageId}`);
        return { messageId: mail.messageId, accepted };
      },
      async close() {
        transport.close();
      },
    };
  }
  const outboxDir = join(config.DATA_DIR, 'outbox');
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'outbox',
    async send(mail) {
      const info = await composer.sendMail(toNodemailer(mail));
      await mkdir(outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const digest = createHash('sha256').update(mail.messageId).digest('hex').slice(0, 12);
      const file = join(outboxDir, `${stamp}-${digest}.eml`);
      await writeFile(file, info.message as Buffer);
      return { messageId: mail.messageId, accepted: [mail.to], file };
    },
    async close() {
      composer.close();
    },
  };
}
