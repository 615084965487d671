import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/test-db.js';
import { createEmailThreadStore } from './email-thread-store.js';
import type { InboundEmail } from './inbound-email.js';
import { checkReplyRateLimit } from './reply-rate-limit.js';

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

  it('counts replies in the last hour for the rate limit', async () => {
    const store = createEmailThreadStore(ctx.db);
    const thread = await store.createThread({ rootMessageId: '<r@d.com>', counterpart: 'd@d.com', subject: '', customerId: null });
    for (let i = 0; i < 3; i++) {
      await store.recordOutbound({
        messageId: `<d${i}@shop.example>`, threadId: thread.id, source: 'reply', counterpart: 'D@d.com',
        fromAddress: 'support@shop.example', toAddresses: ['d@d.com'], subject: '', inReplyTo: null, referenceIds: [], bodyText: '',
      });
    }
    expect(await checkReplyRateLimit(store, 'd@d.com', 3)).toEqual({ allowed: false, sentInLastHour: 3 });
    expect((await checkReplyRateLimit(store, 'd@d.com', 4)).allowed).toBe(true);
    const later = new Date(Date.now() + 61 * 60 * 1000);
    expect(await checkReplyRateLimit(store, 'd@d.com', 3, later)).toEqual({ allowed: true, sentInLastHour: 0 });
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
