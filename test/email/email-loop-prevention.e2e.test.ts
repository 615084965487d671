import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailThreadStore } from '../../src/channels/email/email-thread-store.js';
import type { Db } from '../../src/db/db.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { openTestDb } from '../support/test-db.js';
import { startEmailHarness, SUPPORT, type EmailHarness } from './email-test-harness.js';

/** Mail that must never be answered, and the per-sender hourly cap, over real SMTP both ways. */
describe('email loop prevention and rate limit', () => {
  let db: Db;
  let h: EmailHarness;

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    h = await startEmailHarness({ db, env: { EMAIL_REPLIES_PER_HOUR: '2' } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  async function outcomeOf(messageId: string) {
    const message = await createEmailThreadStore(db).getMessage(messageId);
    return { outcome: message?.outcome, detail: message?.outcomeDetail };
  }

  it.each([
    ['an auto-reply', { from: 'alice.ng@example.com', headers: { 'Auto-Submitted': 'auto-replied' }, subject: 'Out of office' }, /Auto-Submitted/],
    ['a vacation responder', { from: 'alice.ng@example.com', headers: { 'X-Autoreply': 'yes' }, subject: 'Away' }, /autoresponder/],
    ['a bulk mail', { from: 'news@brand.example', headers: { Precedence: 'bulk' }, subject: 'Newsletter' }, /Precedence: bulk/],
    ['a mailing list post', { from: 'member@list.example', headers: { 'List-Id': '<shop-users.list.example>' }, subject: 'list' }, /mailing list/],
    ['a noreply sender', { from: 'no-reply@carrier.example', subject: 'Your parcel' }, /no-reply/],
    ['our own From', { from: SUPPORT, subject: 'Re: Where is my order?' }, /our own support address/],
  ])('does not answer %s', async (_label, mail, reason) => {
    const before = h.capture.messages.length;
    const messageId = `<loop-${Math.random().toString(36).slice(2)}@example.com>`;
    await h.send({ ...mail, text: 'Where is my order #W1000003?', messageId });
    await h.queue.drain();
    expect(h.capture.messages.length).toBe(before);
    const { outcome, detail } = await outcomeOf(messageId);
    expect(outcome).toBe('ignored');
    expect(detail).toMatch(reason);
  });

  it('does not answer a bounce (null envelope sender)', async () => {
    const before = h.capture.messages.length;
    await h.send({
      envelope: { from: '', to: [SUPPORT] },
      from: 'Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      subject: 'Undelivered Mail Returned to Sender',
      text: 'This is the mail system. Your message could not be delivered.',
      messageId: '<bounce-1@mx.example.com>',
    });
    await h.queue.drain();
    expect(h.capture.messages.length).toBe(before);
    expect((await outcomeOf('<bounce-1@mx.example.com>')).outcome).toBe('ignored');
  });

  it('does not answer our own reply sent back to us', async () => {
    await h.send({ from: 'Alice Ng <alice.ng@example.com>', subject: 'Where?', text: 'Where is my order #W1000003?', messageId: '<echo-q@example.com>' });
    await h.queue.drain();
    const ours = await h.capture.waitFor((m) => m.parsed.inReplyTo === '<echo-q@example.com>');
    const before = h.capture.messages.length;
    // A misconfigured forwarder hands our reply back to the support address, headers intact.
    await h.send({ envelope: { from: SUPPORT, to: [SUPPORT] }, raw: ours.raw });
    await h.queue.drain();
    expect(h.capture.messages.length).toBe(before);
  });

  it(`answers at most EMAIL_REPLIES_PER_HOUR mails from one sender`, async () => {
    const ids = [1, 2, 3, 4].map((i) => `<flood-${i}@flood.example>`);
    for (const messageId of ids) {
      await h.send({ from: 'flood@flood.example', subject: `Question ${messageId}`, text: 'Where is my order?', messageId });
    }
    await h.queue.drain();
    const answered = h.capture.messages.filter((m) => m.envelope.to.includes('flood@flood.example'));
    expect(answered).toHaveLength(2);
    const outcomes = await Promise.all(ids.map(async (id) => (await outcomeOf(id)).outcome));
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(2);
    // Another sender is not affected by the first one's limit.
    await h.send({ from: 'calm@other.example', subject: 'Hello', text: 'Where is my order?', messageId: '<calm-1@other.example>' });
    await h.queue.drain();
    await h.capture.waitFor((m) => m.parsed.inReplyTo === '<calm-1@other.example>');
  });
});
