import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalImapServer } from '../../../test/email/local-imap-server.js';
import { startImapPoller } from './imap-poller.js';
import type { InboundEmail } from './inbound-email.js';
import type { UnparseableEmail } from './unparseable-email.js';

const compose = (options: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(options).compile().build();

describe('IMAP poller', () => {
  const imap = new LocalImapServer();
  beforeAll(() => imap.start());
  afterAll(() => imap.stop());

  const kept: UnparseableEmail[] = [];
  const keep = async (m: UnparseableEmail) => void kept.push(m);

  it('hands each unseen mail on once, flags it seen, and records oversized mail without reading it', async () => {
    const first = imap.deliver(await compose({ from: 'Jane <jane@example.com>', to: 'support@shop.example', subject: 'Where is it', text: 'Order #W1?', messageId: '<imap-1@example.com>' }));
    const big = imap.deliver(await compose({ from: 'big@example.com', to: 'support@shop.example', text: 'x'.repeat(30_000), messageId: '<imap-big@example.com>' }));
    const received: InboundEmail[] = [];
    const poller = startImapPoller(
      { url: imap.url, mailbox: 'INBOX', intervalMs: 60_000, maxBytes: 20_000, accept: async (m) => void received.push(m), unparseable: keep },
      false,
    );
    expect(await poller.pollOnce()).toBe(1);
    expect(received.map((m) => [m.source, m.messageId, m.from.address, m.subject])).toEqual([['imap', '<imap-1@example.com>', 'jane@example.com', 'Where is it']]);
    expect(imap.flagsOf(first)).toContain('\\Seen');
    expect(imap.flagsOf(big)).toContain('\\Seen');
    expect(imap.commands.some((c) => /FETCH \d+ .*BODY/i.test(c) && c.includes(` ${big} `))).toBe(false);
    expect(kept).toEqual([expect.objectContaining({ source: 'imap', outcome: 'too_large', raw: null, reason: expect.stringMatching(new RegExp(`UID ${big}$`)) })]);
    expect(await poller.pollOnce()).toBe(0);
    await poller.stop();
  });

  it('keeps a mail it cannot parse for a person, flags it seen, and goes on with the next one', async () => {
    kept.length = 0;
    let raw = 'From: odd@example.com\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n';
    for (let i = 0; i < 1001; i++) raw += `--p\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`;
    const poison = imap.deliver(`${raw}--p--\r\n`);
    const next = imap.deliver(await compose({ from: 'jane@example.com', to: 'support@shop.example', text: 'after', messageId: '<imap-after@example.com>' }));
    const received: InboundEmail[] = [];
    const poller = startImapPoller(
      { url: imap.url, mailbox: 'INBOX', intervalMs: 60_000, maxBytes: 200_000, accept: async (m) => void received.push(m), unparseable: keep },
      false,
    );
    expect(await poller.pollOnce()).toBe(1);
    expect(received.map((m) => m.messageId)).toEqual(['<imap-after@example.com>']);
    expect(kept).toEqual([expect.objectContaining({ source: 'imap', outcome: 'unparseable', from: 'odd@example.com', subject: 'parts', reason: expect.stringMatching(/child nodes/) })]);
    expect(kept[0]!.raw?.length).toBeGreaterThan(30_000);
    expect(imap.flagsOf(poison)).toContain('\\Seen');
    expect(imap.flagsOf(next)).toContain('\\Seen');
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
        unparseable: keep,
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
      { url: imap.url.replace(':secret@', ':wrong@'), mailbox: 'INBOX', intervalMs: 60_000, maxBytes: 20_000, accept: async () => {}, unparseable: keep },
      false,
    );
    await expect(poller.pollOnce()).rejects.toThrow();
    await poller.stop();
  });
});
