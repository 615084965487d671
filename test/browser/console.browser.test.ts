import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { consoleExtension } from '../../src/console/console-extension.js';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { recordFailedJob } from '../../src/jobs/record-failed-job.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { openCancelApproval } from '../support/pending-cancel-approval.js';
import { launchHeadlessChromium, seriousAxeViolations, signInToConsole, skipWithoutChromium, type HeadlessChromium } from '../support/headless-chromium.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const TOKEN = 'console-browser-test-token-0123456789';
const PASSWORD = 'correct horse battery staple';
const APPROVER = 'ana.approver@example.com';
const VIEWER = 'vic.viewer@example.com';
const OPERATOR = 'oscar.operator@example.com';
const screenshot = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
const skipBrowser = skipWithoutChromium('console browser test');

// The operator console as an operator's browser runs it: a real Chromium, the running service.
describe.skipIf(skipBrowser)('operator console in headless Chromium', () => {
  let db: Db;
  let running: RunningApp;
  let chromium: HeadlessChromium;
  let browser: BrowserContext;
  const config = testAppConfig('console-browser', { API_TOKEN: TOKEN, PASSWORD_HASH_ROUNDS: '4' });
  const customer = { kind: 'person' as const, id: 'alice.ng@example.com' };

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    await seedTestCatalog(db, 'p-console', [{ sku: 'CON-TEE-01', price: '12.00', stock: { 'loc-east-wh': 4, 'loc-west-wh': 2 } }]);
    const users = createUserRepository(db, { hashRounds: 4 });
    await users.add({ email: APPROVER, role: 'approver', name: 'Ana Approver', password: PASSWORD }, systemActor('test'));
    await users.add({ email: VIEWER, role: 'viewer', name: 'Vic Viewer', password: PASSWORD }, systemActor('test'));
    await users.add({ email: OPERATOR, role: 'operator', name: 'Oscar Operator', password: PASSWORD }, systemActor('test'));
    running = await startApp(config, { db, extensions: [consoleExtension()], log: () => {} });
    chromium = await launchHeadlessChromium();
    browser = chromium.context;
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await running?.stop();
    await db?.close();
  });

  const signIn = (email: string): Promise<Page> => signInToConsole(browser, running.url, email, PASSWORD);
  const statusOf = async (approvalId: string) =>
    (await db.query<{ status: string }>('SELECT status FROM approvals WHERE id = $1', [approvalId])).rows[0]!.status;
  const decideOverApi = (approvalId: string, decision: 'approve' | 'reject') =>
    fetch(`${running.url}/api/approvals/${approvalId}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision, reason: 'decided elsewhere' }),
    });
  it('a wrong password brings the form back with the failure shown', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${running.url}/console/`);
    await page.getByLabel('Email').fill(APPROVER);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toBe('Wrong email or password.');
    await page.close();
  });

  it('an approver approves an emailed cancellation in the console; the order is cancelled once', async () => {
    const approvalId = await openCancelApproval(db, config, '#W1000001', customer);
    const page = await signIn(APPROVER);
    expect(await page.locator('#who').innerText()).toBe('Ana Approver (approver)');
    const row = page.locator(`tr[data-item="approval:${approvalId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/^Approval\s+cancel_order on order #W1000001/);
    expect(await row.innerText()).toContain('Alice Ng');
    expect(await row.locator('time').innerText()).toMatch(/just now|min ago/);

    await row.getByRole('link').first().click();
    await page.locator('body[data-page="approvals"]').waitFor();
    expect(await page.locator('.facts').innerText()).toContain('via email');
    await page.getByLabel('Reason').fill('customer asked by email');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('[data-status="executed"]').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    expect(await statusOf(approvalId)).toBe('executed');
    const order = await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = '#W1000001'`);
    expect(order.rows[0]!.status).toBe('cancelled');
    const cancels = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_events WHERE order_id = '#W1000001' AND to_status = 'cancelled'`);
    expect(cancels.rows[0]!.n).toBe(1);
    // A second decision of the same approval runs nothing.
    expect((await decideOverApi(approvalId, 'approve')).status).toBe(409);

    await page.locator('.facts a').first().click();
    await page.locator('body[data-page="orders"]').waitFor();
    expect(await page.locator('h1').innerText()).toBe('Order #W1000001');
    expect(await page.locator('[data-status]').innerText()).toBe('cancelled');
    expect(await page.locator('.facts').innerText()).toMatch(/Customer\s+Alice Ng/);
    expect(await page.locator('table').first().innerText()).toContain('1000000001');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('a viewer sees the approval but no action buttons', async () => {
    const approvalId = await openCancelApproval(db, config, '#W1000005', customer);
    const page = await signIn(VIEWER);
    await page.goto(`${running.url}/console/#/approvals/${approvalId}`);
    await page.locator('body[data-page="approvals"]').waitFor();
    expect(await page.locator('[data-status]').innerText()).toBe('Waiting for a decision');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    expect(await page.getByLabel('Reason').count()).toBe(0);
    await page.goto(`${running.url}/console/#/orders/${encodeURIComponent('#W1000005')}`);
    await page.locator('body[data-page="orders"]').waitFor();
    expect(await page.locator('form.action').count()).toBe(0);
    await page.goto(`${running.url}/console/#/flags`);
    await page.locator('body[data-page="flags"]').waitFor();
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await page.close();
  });

  it('refuses a forged form post and a scripted post without the CSRF token; nothing runs', async () => {
    const approvalId = await openCancelApproval(db, config, '#W2000001', { kind: 'person', id: 'bob.stone@example.com' });
    const page = await signIn(APPROVER);
    const [forged] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/api/approvals/${approvalId}/decision';
        for (const [name, value] of [['decision', 'approve'], ['reason', 'forged']]) {
          const input = document.createElement('input');
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      })()`),
    ]);
    expect(forged?.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('csrf_token_invalid');
    await page.goto(`${running.url}/console/`);
    await page.locator('body[data-page="inbox"]').waitFor();
    const scripted = await page.evaluate<{ status: number; code: string }>(
      `fetch('/api/approvals/${approvalId}/decision', { method: 'POST', headers: { 'content-type': 'application/json' },
         body: JSON.stringify({ decision: 'approve', reason: 'forged' }) }).then(async (r) => ({ status: r.status, code: (await r.json()).code }))`,
    );
    expect(scripted).toEqual({ status: 403, code: 'csrf_token_invalid' });
    expect(await statusOf(approvalId)).toBe('pending');
    const order = await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = '#W2000001'`);
    expect(order.rows[0]!.status).not.toBe('cancelled');
    await page.close();
  });

  it('a decision made through the API shows on an open inbox and approval page without a reload', async () => {
    const first = await openCancelApproval(db, config, '#W1000004', customer);
    const second = await openCancelApproval(db, config, '#W1000008', customer);
    const inbox = await signIn(APPROVER);
    await inbox.locator(`tr[data-item="approval:${first}"]`).waitFor();
    await inbox.locator('body[data-live="on"]').waitFor();
    expect(await seriousAxeViolations(inbox)).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') await inbox.screenshot({ path: screenshot('console-inbox.png'), fullPage: true });

    const detail = await browser.newPage();
    await detail.goto(`${running.url}/console/#/approvals/${second}`);
    await detail.locator('[data-status="pending"]').waitFor();
    await detail.locator('body[data-live="on"]').waitFor();
    const navigations: string[] = [];
    for (const p of [inbox, detail]) p.on('framenavigated', (f) => { if (f === p.mainFrame()) navigations.push(f.url()); });

    expect((await decideOverApi(first, 'reject')).status).toBe(200);
    await inbox.locator(`tr[data-item="approval:${first}"]`).waitFor({ state: 'detached', timeout: 1_500 });
    expect((await decideOverApi(second, 'reject')).status).toBe(200);
    await detail.locator('[data-status="rejected"]').waitFor({ timeout: 1_500 });
    expect(await detail.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(navigations).toEqual([]);
    await inbox.close();
    await detail.close();
  });

  it('the stock page shows a SKU per location, case-insensitively, with its chart', async () => {
    const page = await signIn(VIEWER);
    await page.getByRole('link', { name: 'Stock' }).click();
    await page.locator('body[data-page="stock"]').waitFor();
    await page.getByLabel('SKU').fill('con-tee-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('figure.chart[data-drawn="true"]').waitFor();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const texts = (await rows.allInnerTexts()).map((t) => t.split('\t').map((c) => c.trim()));
    expect(texts.map((t) => [t[0], t[3], t[5]])).toEqual(expect.arrayContaining([['CON-TEE-01', '4', '4'], ['CON-TEE-01', '2', '2']]));
    expect(await page.locator('canvas[role="img"]').getAttribute('aria-label')).toMatch(/CON-TEE-01 by location: .*4 available/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: screenshot('console-stock.png'), fullPage: true });
    await page.close();
  });

  it('the search box finds orders by customer name and opens one', async () => {
    const page = await signIn(VIEWER);
    await page.getByLabel('Search orders').fill('bob stone');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('body[data-page="search"]').waitFor();
    const ids = await page.locator('tbody tr td:first-child').allInnerTexts();
    expect(ids.sort()).toEqual(['#W2000001', '#W2000002', '#W2000003']);
    expect(await page.locator('tbody tr').first().innerText()).toContain('Bob Stone');
    await page.getByRole('link', { name: '#W2000002' }).click();
    await page.locator('body[data-page="orders"]').waitFor();
    expect(await page.locator('h1').innerText()).toBe('Order #W2000002');
    await page.close();
  });

  it('an operator asks for a cancellation on the order page and works a flag; the cancellation waits for an approver', async () => {
    await raiseFlag(db, { subjectType: 'order', subjectId: '#W4000001', rule: 'order_risk', category: 'risk', severity: 'warning', score: 0.6, title: 'New device, far address', reasons: ['new device', 'address 900 km from earlier ones'] }, systemActor('test'));
    await recordFailedJob(db, { queue: 'notifications', jobId: 'browser-1', payload: {}, error: 'SMTP 421 try later', attempts: 5 });
    const page = await signIn(OPERATOR);
    await page.goto(`${running.url}/console/#/orders/${encodeURIComponent('#W4000001')}`);
    await page.locator('body[data-page="orders"]').waitFor();
    expect(await page.locator('main').innerText()).toContain('New device, far address');
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: screenshot('console-order.png'), fullPage: true });
    await page.getByLabel('Why cancel it').fill('customer called to cancel');
    await page.getByRole('button', { name: 'Cancel and refund' }).click();
    await page.locator('#cancel-message a').waitFor();
    expect(await page.locator('#cancel-message').innerText()).toMatch(/^Requested: an approver decides it/);
    const pending = await db.query<{ id: string; requester_id: string }>(`SELECT id, requester_id FROM approvals WHERE status = 'pending' AND preview->>'orderId' = '#W4000001'`);
    expect(pending.rows).toEqual([{ id: expect.any(String), requester_id: OPERATOR }]);
    expect((await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = '#W4000001'`)).rows[0]!.status).toBe('pending');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Flags' }).click();
    await page.locator('body[data-page="flags"]').waitFor();
    const card = page.locator('li[data-flag]', { hasText: 'New device, far address' });
    await card.getByLabel('How it was resolved').fill('customer confirmed the new address');
    await card.getByRole('button', { name: 'Resolve' }).click();
    await card.waitFor({ state: 'detached' });
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Failed jobs' }).click();
    await page.locator('body[data-page="jobs"]').waitFor();
    const job = page.locator('tr', { hasText: 'browser-1' });
    await job.getByRole('button', { name: 'Retry' }).click();
    await job.locator('.message a').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});
