import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { openTestDb } from '../support/test-db.js';
import { startEmailHarness, type EmailHarness } from './email-test-harness.js';

const ALICE = 'Alice Ng <alice.ng@example.com>';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reply while the next hop is out of service, and one it refuses for good, over real SMTP both ways. */
describe('email replies when the outbound SMTP server is unavailable', () => {
  let db: Db;
  let h: EmailHarness;

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    h = await startEmailHarness({ db });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  const replyRecord = async (inReplyTo: string) =>
    (await db.query<{ message_id: string; outcome: string; outcome_detail: string }>(
      `SELECT message_id, outcome, outcome_detail FROM email_messages WHERE direction = 'outbound' AND in_reply_to = $1`,
      [inReplyTo],
    )).rows;

  it('sends the reply once the server is back, under the Message-ID it was recorded with, and dead-letters nothing', async () => {
    h.capture.pause();
    const refusedBefore = h.capture.refusals;
    try {
      await h.send({ from: ALICE, subject: 'Where is my order?', text: 'Hi, where is my order #W1000003?', messageId: '<outage-1@example.com>' });
      // Longer than the few quick retries a reply had before it landed on the dead-letter list.
      await sleep(2_500);
      expect(h.capture.refusals).toBeGreaterThan(refusedBefore);
      expect(h.capture.messages.filter((m) => m.parsed.inReplyTo === '<outage-1@example.com>')).toHaveLength(0);
      expect((await replyRecord('<outage-1@example.com>')).map((r) => r.outcome)).toEqual(['queued']);
    } finally {
      h.capture.resume();
    }
    const reply = await h.capture.waitFor((m) => m.parsed.inReplyTo === '<outage-1@example.com>', 15_000);
    await h.queue.drain();
    const [record] = await replyRecord('<outage-1@example.com>');
    expect(record).toMatchObject({ outcome: 'sent' });
    expect(reply.parsed.messageId).toBe(record!.message_id);
    expect(h.capture.messages.filter((m) => m.parsed.inReplyTo === '<outage-1@example.com>')).toHaveLength(1);
    expect(h.logs.filter((l) => l.startsWith('job failed'))).toEqual([]);
  }, 30_000);

  it('marks a reply the server refuses for good (550) as failed at once, without retrying it', async () => {
    h.capture.refuseRecipients({ code: 550, message: 'no such mailbox' });
    try {
      await h.send({ from: ALICE, subject: 'Order question', text: 'Where is my order #W1000003?', messageId: '<refused-1@example.com>' });
      await h.queue.drain();
    } finally {
      h.capture.refuseRecipients(null);
    }
    const [record] = await replyRecord('<refused-1@example.com>');
    expect(record).toMatchObject({ outcome: 'failed' });
    expect(record!.outcome_detail).toMatch(/550/);
    expect(h.logs.filter((l) => l.startsWith('job failed'))).toEqual([]);
  }, 10_000);
});
