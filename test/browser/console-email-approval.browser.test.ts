import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailExtension } from '../../src/channels/email/email-extension.js';
import { consoleExtension } from '../../src/console/console-extension.js';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { launchHeadlessChromium, signInToConsole, skipWithoutChromium, type HeadlessChromium } from '../support/headless-chromium.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const PASSWORD = 'correct horse battery staple';
const APPROVER = 'olu.approver@example.com';
const CUSTOMER = 'alice.ng@example.com';
const ORDER = '#W1000004';

/**
 * The whole path a customer's request takes in the embedded service: a mail over SMTP asks to
 * cancel, the customer confirms from their mailbox, an approver approves in the console, the
 * order is cancelled once, and the outcome reaches the customer by mail.
 */
describe.skipIf(skipWithoutChromium('console email approval browser test'))('an emailed cancellation approved in the console', () => {
  let db: Db;
  let running: RunningApp;
  let chromium: HeadlessChromium;
  let smtpPort = 0;
  const config = testAppConfig('console-email', { PASSWORD_HASH_ROUNDS: '4', SUPPORT_EMAIL: 'support@shop.example', STORE_NAME: 'Test Shop' });
  const outbox = join(config.DATA_DIR, 'outbox');

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    await createUserRepository(db, { hashRounds: 4 }).add({ email: APPROVER, role: 'approver', name: 'Olu Approver', password: PASSWORD }, systemActor('test'));
    const lines: string[] = [];
    running = await startApp(config, { db, extensions: [emailExtension, consoleExtension()], log: (l) => lines.push(l) });
    smtpPort = Number(/SMTP in on [^:]+:(\d+)/.exec(lines.find((l) => l.startsWith('email: SMTP in on')) ?? '')?.[1]);
    chromium = await launchHeadlessChromium();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await running?.stop();
    await db?.close();
  });

  const mailsTo = async (address: string): Promise<ParsedMail[]> => {
    const files = existsSync(outbox) ? readdirSync(outbox).sort() : [];
    const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(outbox, f)))));
    return parsed.filter((m) => JSON.stringify(m.to ?? '').toLowerCase().includes(address));
  };
  async function waitForMail(match: (m: ParsedMail) => boolean, timeoutMs = 30_000): Promise<ParsedMail> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = (await mailsTo(CUSTOMER)).find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no such mail to ${CUSTOMER}; have: ${(await mailsTo(CUSTOMER)).map((m) => m.subject).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  async function send(mail: SendMailOptions): Promise<void> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: `Alice Ng <${CUSTOMER}>`, to: config.SUPPORT_EMAIL, ...mail });
    } finally {
      transport.close();
    }
    await running.queue.drain();
  }
  /** Replies in the thread of `to`, quoting nothing: what a phone's mail app sends. */
  const reply = (to: ParsedMail, text: string, id: string) =>
    send({ subject: `Re: ${to.subject ?? ''}`, text, messageId: id, inReplyTo: to.messageId!, references: [...[to.references ?? []].flat(), to.messageId!] });

  it('asks by mail, confirms from the mailbox, is approved in the console, cancels once and mails the outcome', async () => {
    await send({ subject: 'Cancel my order', text: `Hello, please cancel order ${ORDER}. I ordered it by mistake.`, messageId: '<alice-cancel-1@example.com>' });
    const first = await waitForMail((m) => m.inReplyTo === '<alice-cancel-1@example.com>');
    // The offline model may ask before it asks for approval; the customer then says yes.
    if (!/confirmation code/i.test(first.text ?? '')) await reply(first, 'Yes, please cancel it.', '<alice-cancel-2@example.com>');
    // The code comes in a mail of its own, to the address on the account.
    const last = await waitForMail((m) => /Confirmation code:/i.test(m.text ?? ''));
    const code = /Confirmation code:\s*(\S+)/i.exec(last.text ?? '')?.[1];
    expect(code, last.text).toBeDefined();
    await reply(last, code!, '<alice-cancel-3@example.com>');
    const pending = await db.query<{ id: string }>(`SELECT id FROM approvals WHERE status = 'pending' AND origin_channel = 'email' AND preview->>'orderId' = $1`, [ORDER]);
    expect(pending.rows).toHaveLength(1);
    const approvalId = pending.rows[0]!.id;

    const page = await signInToConsole(chromium.context, running.url, APPROVER, PASSWORD);
    const row = page.locator(`tr[data-item="approval:${approvalId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Alice Ng');
    await row.getByRole('link').first().click();
    await page.locator('body[data-page="approvals"]').waitFor();
    expect(await page.locator('dl.facts').innerText()).toMatch(/via email/);
    await page.getByLabel('Reason').fill('customer confirmed from their mailbox');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('executed');
    await page.close();

    const { rows } = await db.query<{ status: string; cancels: number; refunds: number }>(
      `SELECT o.status,
              (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'cancelled') AS cancels,
              (SELECT count(*)::int FROM payments p WHERE p.order_id = o.id AND p.kind = 'refund') AS refunds
         FROM orders o WHERE o.id = $1`,
      [ORDER],
    );
    expect(rows[0]).toEqual({ status: 'cancelled', cancels: 1, refunds: 1 });

    const outcome = await waitForMail((m) => m.inReplyTo === '<alice-cancel-3@example.com>' && /approved and has been completed/i.test(m.text ?? ''));
    expect(outcome.text).toContain(approvalId);
    expect(outcome.text).toContain(ORDER);
    expect(outcome.text).not.toMatch(/cancel_order|status pending/);
    // Told once: no second outcome mail for the same approval.
    await new Promise((r) => setTimeout(r, 500));
    expect((await mailsTo(CUSTOMER)).filter((m) => /approved and has been completed/i.test(m.text ?? ''))).toHaveLength(1);
  });
});
