import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/test-db.js';
import { createEmailThreadStore } from './email-thread-store.js';
import type { InboundEmail } from './inbound-email.js';
import { admitInboundEmail } from './inbound-rate-limit.js';
import { tooLargeInMailbox, unparseableFromRaw } from './unparseable-email.js';

function inbound(messageId: string, from: string, references: string[] = []): InboundEmail {
  return {
    source: 'smtp',
    messageId,
    from: { address: from, name: '' },
    to: ['support@shop.example'],
    subject: 'Order?',
    date: new Date().toISOString(),
    inReplyTo: references.at(-1) ?? null,
    references,
    text: 'where is it',
    headers: {},
    envelopeFrom: from,
    attachments: [],
    sizeBytes: 42,
  };
}

describeEachDb('email thread store', (ctx) => {
  it('claims an inbound Message-ID once', async () => {
    const store = createEmailThreadStore(ctx.db);
    expect(await store.claimInbound(inbound('<once@a.com>', 'a@a.com'), 'where is it')).toBe(true);
    expect(await store.claimInbound(inbound('<once@a.com>', 'a@a.com'), 'where is it')).toBe(false);
    expect((await store.getMessage('<once@a.com>'))?.bodyText).toBe('where is it');
  });

  it('lets a failed mail be taken again by its retry, but not by another sender reusing its Message-ID', async () => {
    const store = createEmailThreadStore(ctx.db);
    expect(await store.claimInbound(inbound('<failed@a.com>', 'a@a.com'), 'first try')).toBe(true);
    await store.settleInbound('<failed@a.com>', { outcome: 'failed', detail: 'model down' });
    expect(await store.claimInbound(inbound('<failed@a.com>', 'mallory@evil.example'), 'not mine')).toBe(false);
    expect(await store.claimInbound(inbound('<failed@a.com>', 'a@a.com'), 'first try')).toBe(true);
    expect((await store.getMessage('<failed@a.com>'))?.fromAddress).toBe('a@a.com');
  });

  it('finds a thread only through our own Message-IDs, and only for the same counterpart', async () => {
    const store = createEmailThreadStore(ctx.db);
    await store.claimInbound(inbound('<root@b.com>', 'b@b.com'), 'q');
    const thread = await store.createThread({ rootMessageId: '<root@b.com>', counterpart: 'b@b.com', subject: 'Order?', customerId: null });
    await store.settleInbound('<root@b.com>', { threadId: thread.id, outcome: 'answered' });
    await store.recordOutbound({
      messageId: '<reply1@shop.example>', threadId: thread.id, source: 'reply', counterpart: 'b@b.com',
      fromAddress: 'support@shop.example', toAddresses: ['b@b.com'], subject: 'Re: Order?',
      inReplyTo: '<root@b.com>', referenceIds: ['<root@b.com>'], bodyText: 'It shipped.',
    });
    expect((await store.findThread('b@b.com', ['<reply1@shop.example>']))?.id).toBe(thread.id);
    // Inbound ids (the root included) are known to whoever wrote them: they continue nothing.
    expect(await store.findThread('b@b.com', ['<root@b.com>'])).toBeNull();
    expect(await store.findThread('intruder@c.com', ['<reply1@shop.example>', '<root@b.com>'])).toBeNull();
    expect(await store.findThread('b@b.com', ['<unknown@x>'])).toBeNull();
    const messages = await store.threadMessages(thread.id);
    expect(messages.map((m) => [m.direction, m.outcome])).toEqual([['inbound', 'answered'], ['outbound', 'queued']]);
    await store.settleOutbound('<reply1@shop.example>', 'sent');
    expect((await store.getMessage('<reply1@shop.example>'))?.outcome).toBe('sent');
  });

  it('counts every mail let through against its sender and everyone, and lets a retry through again', async () => {
    const store = createEmailThreadStore(ctx.db);
    const limits = { EMAIL_REPLIES_PER_HOUR: 2, EMAIL_GLOBAL_TURNS_PER_MINUTE: 3, EMAIL_GLOBAL_TURNS_PER_HOUR: 4 };
    const t0 = new Date('2030-01-01T10:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const mail = async (id: string, from: string) => {
      const m = inbound(id, from);
      await store.claimInbound(m, m.text);
      return m;
    };
    const d1 = await mail('<d1@d.com>', 'd@d.com');
    const d2 = await mail('<d2@d.com>', 'd@d.com');
    const d3 = await mail('<d3@d.com>', 'd@d.com');
    expect(await admitInboundEmail(store, d1, limits, at(0))).toEqual({ allowed: true });
    expect(await admitInboundEmail(store, d2, limits, at(0))).toEqual({ allowed: true });
    expect(await admitInboundEmail(store, d3, limits, at(1))).toEqual({ allowed: false, detail: expect.stringMatching(/2 mails from d@d.com .*EMAIL_REPLIES_PER_HOUR=2/) });
    // A retry of a mail already let through is not counted again.
    expect(await admitInboundEmail(store, d1, limits, at(1))).toEqual({ allowed: true });

    const e1 = await mail('<e1@e.com>', 'e1@e.com');
    const e2 = await mail('<e2@e.com>', 'e2@e.com');
    expect(await admitInboundEmail(store, e1, limits, at(0.5))).toEqual({ allowed: true });
    expect(await admitInboundEmail(store, e2, limits, at(0.5))).toEqual({ allowed: false, detail: expect.stringMatching(/EMAIL_GLOBAL_TURNS_PER_MINUTE=3/) });
    expect(await admitInboundEmail(store, e2, limits, at(2))).toEqual({ allowed: true });
    const e3 = await mail('<e3@e.com>', 'e3@e.com');
    expect(await admitInboundEmail(store, e3, limits, at(3))).toEqual({ allowed: false, detail: expect.stringMatching(/4 mails .* last hour .*EMAIL_GLOBAL_TURNS_PER_HOUR=4/) });
    // An hour on, the window has moved past all of them.
    expect(await admitInboundEmail(store, d3, limits, at(61))).toEqual({ allowed: true });
  });

  it('keeps an unparseable mail once, with its raw bytes, among the mail waiting for a person', async () => {
    const store = createEmailThreadStore(ctx.db);
    const raw = Buffer.from('From: "X" <Odd@Example.com>\r\nSubject: =?utf-8?q?broken?=\r\n\r\n\u0000body');
    const dead = unparseableFromRaw(raw, { source: 'smtp', reason: 'Max allowed child nodes exceeded', envelopeTo: ['support@shop.example'] });
    expect(dead).toMatchObject({ from: 'odd@example.com', subject: '=?utf-8?q?broken?=', outcome: 'unparseable', sizeBytes: raw.length });
    expect(await store.keepUnparseable(dead)).toBe(true);
    expect(await store.keepUnparseable(dead)).toBe(false);
    expect(await store.rawSource(dead.messageId)).toEqual(raw);
    const big = tooLargeInMailbox({ mailbox: 'INBOX', uidValidity: '7', uid: 12, sizeBytes: 5_000_000, maxBytes: 1_000_000 });
    expect(await store.keepUnparseable(big)).toBe(true);
    const kept = await store.listKeptInbound(10);
    expect(kept.map((m) => [m.messageId, m.outcome])).toEqual(expect.arrayContaining([[dead.messageId, 'unparseable'], [big.messageId, 'too_large']]));
    expect(kept.find((m) => m.messageId === big.messageId)?.outcomeDetail).toMatch(/left unread in INBOX as UID 12/);
  });

  it('sends an approval notice once and keeps hand-offs', async () => {
    const store = createEmailThreadStore(ctx.db);
    await store.claimInbound(inbound('<h@e.com>', 'e@e.com'), 'odd question');
    const thread = await store.createThread({ rootMessageId: '<h@e.com>', counterpart: 'e@e.com', subject: '', customerId: null });
    const claim = { approvalId: 'apr_1', threadId: thread.id, status: 'executed' };
    expect(await store.claimApprovalNotice(claim)).toBe(true);
    expect(await store.claimApprovalNotice(claim)).toBe(false);
    const id = await store.openHandoff({ threadId: thread.id, messageId: '<h@e.com>', draftReply: 'Draft', reason: 'other' });
    expect((await store.listOpenHandoffs()).find((h) => h.id === id)?.draftReply).toBe('Draft');
  });
});
