import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalImapServer } from '../../../test/email/local-imap-server.js';
import { startImapPoller } from './imap-poller.js';
import type { InboundEmail } from './inbound-email.js';

const compose = (options: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(options).compile().build();

describe('IMAP poller', () => {
  const imap = new LocalImapServer();
  beforeAll(() => imap.start());
  afterAll(() => imap.stop());

  it('hands each unseen mail on once, flags it seen, and skips oversized mail unread', async () => {
    const first = imap.deliver(await compose({ from: 'Jane <jane@example.com>', to: 'support@shop.example', subject: 'Where is it', text: 'Order #W1?', messageId: '<imap-1@example.com>' }));
    const big = imap.deliver(await compose({ from: 'big@example.com', to: 'support@shop.example', text: 'x'.repeat(30_000), messageId: '<imap-big@example.com>' }));
    const received: InboundEmail[] = [];
    const poller = startImapPoller(
      { url: imap.url, mailbox: 'INBOX', intervalMs: 60_000, maxBytes: 20_000, accept: async (m) => void received.push(m) },
      false,
    );
    expect(await poller.pollOnce()).toBe(1);
    expect(received.map((m) => [m.source, m.messageId, m.from.address, m.subject])).toEqual([['imap', '<imap-1@example.com>', 'jane@example.com', 'Where is it']]);
    expect(imap.flagsOf(first)).toContain('\\Seen');
    expect(imap.flagsOf(big)).toContain('\\Seen');
    expect(imap.commands.some((c) => /FETCH \d+ .*BODY/i.test(c) && c.includes(` ${big} `))).toBe(false);
    expect(await poller.pollOnce()).toBe(0);
    await poller.stop();
  });

  it('leaves a mail unseen when it cannot be handed on, so the next poll tries again', async () => {
    const uid = imap.deliver(await compose({ from: 'retry@example.com', to: 'support@shop.example', text: 'hello', messageId: '<imap-retry@example.com>' }));
    let fail = true;
    const poller = startImapPoller(
      {
        url: imap.url, mailbox: 'INBOX', intervalMs: 60_000, maxBytes: 20_000,
        accept: async () => {
          if (fail) throw new Error('queue down');
        },
      },
      false,
    );
    await expect(poller.pollOnce()).rejects.toThrow(/queue down/);
    expect(imap.flagsOf(uid)).not.toContain('\\Seen');
    fail = false;
    expect(await poller.pollOnce()).toBe(1);
    expect(imap.flagsOf(uid)).toContain('\\Seen');
    await poller.stop();
  });

  it('fails clearly on wrong credentials', async () => {
    const poller = startImapPoller(
      { url: imap.url.replace(':secret@', ':wrong@'), mailbox: 'INBOX', intervalMs: 60_000, maxBytes: 20_000, accept: async () => {} },
      false,
    );
    await expect(poller.pollOnce()).rejects.toThrow();
    await poller.stop();
  });
});
