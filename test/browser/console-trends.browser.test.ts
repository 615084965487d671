import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { recordDemand } from '../../src/anomaly/stock-monitor.js';
import { consoleExtension } from '../../src/console/console-extension.js';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { insertOrder } from '../anomaly/anomaly-fixtures.js';
import { launchHeadlessChromium, seriousAxeViolations, signInToConsole, skipWithoutChromium } from '../support/headless-chromium.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const PASSWORD = 'correct horse battery staple';
const VIEWER = 'tess.trends@example.com';
const DAY = 86_400_000;

describe.skipIf(skipWithoutChromium('console trends browser test'))('console trends and stock outlook in headless Chromium', () => {
  let db: Db;
  let running: RunningApp;
  let browser: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedTestCatalog(db, 'p-trends', [{ sku: 'TRD-MUG', price: '8.00', stock: { 'loc-east-wh': 30 } }]);
    const now = Date.now();
    for (let d = 14; d >= 1; d--) await recordDemand(db, 'v-TRD-MUG', 'loc-east-wh', 10, new Date(now - d * DAY));
    await db.query(`INSERT INTO channel_variants (channel, external_variant_id, variant_id) VALUES ('shopify', 'gid-9', 'v-TRD-MUG')`);
    await db.query(
      `INSERT INTO channel_stock_sync (variant_id, channel, dirty, pushed_quantity, pushed_at, attempts, last_error, failing_since)
       VALUES ('v-TRD-MUG', 'shopify', true, 31, now() - interval '2 hours', 2, 'HTTP 502 from shopify', now() - interval '1 hour')`,
    );
    for (const ago of [10, 70, 75]) await insertOrder(db, { placedAt: new Date(now - ago * 60_000) });
    await raiseFlag(
      db,
      { subjectType: 'order', subjectId: 'o-late', rule: 'order_sla', category: 'operations', severity: 'warning', score: 50, title: 'Late', reasons: [] },
      systemActor('test'),
    );
    const users = createUserRepository(db, { hashRounds: 4 });
    await users.add({ email: VIEWER, role: 'viewer', name: 'Tess Trends', password: PASSWORD }, systemActor('test'));
    running = await startApp(testAppConfig('console-trends', { PASSWORD_HASH_ROUNDS: '4' }), { db, extensions: [consoleExtension()], log: () => {} });
    ({ context: browser, close: closeBrowser } = await launchHeadlessChromium());
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await running?.stop();
    await db?.close();
  });

  const signIn = () => signInToConsole(browser, running.url, VIEWER, PASSWORD);

  it('the trends page draws its four charts, each with its numbers as a table', async () => {
    const page = await signIn();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trends' }).click();
    await page.locator('body[data-page="trends"]').waitFor();
    for (const id of ['trend-orders', 'trend-sla', 'trend-flags', 'trend-stockouts']) await page.locator(`#${id}[data-drawn="true"]`).waitFor();
    expect(await page.locator('canvas[role="img"]').count()).toBe(4);
    expect(await page.locator('#trend-orders canvas').getAttribute('aria-label')).toMatch(/Orders 3 in total/);
    expect(await page.locator('#trend-orders tbody tr').count()).toBe(48);
    expect(await page.locator('#trend-sla tbody tr').count()).toBe(14);
    expect(await page.locator('#trend-sla canvas').getAttribute('aria-label')).toMatch(/SLA breaches 1 in total/);
    // 30 units at 10 a day: out within the fortnight ahead.
    expect(await page.locator('#trend-stockouts canvas').getAttribute('aria-label')).toMatch(/Variants running out 1 in total/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.screenshot({ path: fileURLToPath(new URL('../../docs/console-trends.png', import.meta.url)), fullPage: true });
    }
    await page.getByRole('link', { name: '30 days' }).click();
    await expect.poll(() => page.locator('#trend-sla tbody tr').count()).toBe(30);
    await page.close();
  });

  it('the stock page shows days of cover and each channel\'s sync state', async () => {
    const page = await signIn();
    await page.goto(`${running.url}/console/#/stock?sku=trd-mug`);
    await page.locator('figure.chart[data-drawn="true"]').waitFor();
    const cells = (await page.locator('#stock-levels tbody tr').first().allInnerTexts())[0]!.split('\t').map((c) => c.trim());
    expect(cells.slice(0, 1).concat(cells.slice(5, 9))).toEqual(['TRD-MUG', '30', '0', '10.0', '3.0']);
    const channel = page.locator('#channel-sync tr[data-channel="shopify"]');
    expect(await channel.getAttribute('data-sync')).toBe('failing');
    expect(await channel.innerText()).toContain('HTTP 502 from shopify (2 attempts)');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});
