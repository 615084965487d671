import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { notificationLinks, type NotificationLinks } from '../../src/notifications/notification-links.js';
import { publicPagesExtension } from '../../src/server/public-pages-extension.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { launchHeadlessChromium, skipWithoutChromium, type HeadlessChromium } from '../support/headless-chromium.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';
import { placeTrackedOrder, seedTrackedOrderCatalog, type TrackedOrder } from '../support/tracked-order-fixture.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/tracking-page.png', import.meta.url));
const SECRET = 'tracking-browser-test-signing-secret-000';
const skipBrowser = skipWithoutChromium('tracking page browser test');

// The tracking page as a customer's browser renders it: a real Chromium, the running service.
describe.skipIf(skipBrowser)('tracking page in headless Chromium', () => {
  let db: Db;
  let running: RunningApp;
  let chromium: HeadlessChromium;
  let browser: BrowserContext;
  let links: NotificationLinks;
  let first: TrackedOrder;
  let second: TrackedOrder;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedTrackedOrderCatalog(db);
    first = await placeTrackedOrder(db, {
      externalId: 'browser-first',
      customer: { email: 'nadia.browser@example.com', first_name: 'Nadia', last_name: 'Okafor' },
      address: { address1: '12 Linden Row', city: 'Albany', state: 'NY', zip: '12207' },
      scans: [
        { status: 'pre_transit', detail: 'Shipping label created', location: 'Newark, NJ', hours: 1 },
        { status: 'in_transit', detail: 'Picked up by the carrier', location: 'Newark, NJ', hours: 6 },
        { status: 'in_transit', detail: 'Arrived at the regional hub', location: 'Edison, NJ', hours: 19 },
        { status: 'out_for_delivery', detail: 'Out for delivery', location: 'Albany, NY', hours: 40, expectedDeliveryAt: new Date('2026-03-04T22:00:00Z') },
      ],
    });
    second = await placeTrackedOrder(db, {
      externalId: 'browser-second',
      customer: { email: 'omar.browser@example.com', first_name: 'Omar', last_name: 'Lindqvist' },
      lines: [{ sku: 'TRK-MUG', quantity: 1 }],
      scans: [{ status: 'in_transit', detail: 'Departed the Secaucus facility', location: 'Secaucus, NJ', hours: 5 }],
    });
    const config = testAppConfig('tracking-browser', { SIGNING_SECRET: SECRET, STORE_NAME: 'Linden & Co', STORE_TIMEZONE: 'America/New_York' });
    running = await startApp(config, { db, extensions: [publicPagesExtension], log: () => {} });
    links = notificationLinks(running.url, SECRET);
    chromium = await launchHeadlessChromium();
    browser = chromium.context;
    browser.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await running?.stop();
    await db?.close();
  });

  // Code run in the page is passed as strings: this project's TypeScript has no DOM library.
  async function open(url: string, viewport = { width: 1024, height: 800 }): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    return page;
  }

  it('renders the timeline newest first with its status and dates in the store time zone, styled under the CSP', async () => {
    const page = await open(links.trackingPage(first.orderId));
    expect(await page.title()).toBe(`Order ${first.orderId} · Linden & Co`);
    await expect.poll(() => page.locator('h1').innerText()).toBe(`Order ${first.orderId}`);
    expect(await page.locator('p.lead').innerText()).toMatch(/^Hi Nadia, here is where your order is\./);
    expect(await page.locator('h2 .status').innerText()).toBe('Out for delivery');

    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain(first.trackingNumber);
    expect(facts).toContain(first.service);
    expect(facts).toMatch(/Expected delivery\s+Wednesday, March 4, 2026/);

    const events = page.locator('ol.timeline li');
    expect(await events.count()).toBe(4);
    const texts = await events.allInnerTexts();
    expect(texts.map((t) => t.split('\n')[1])).toEqual([
      'Out for delivery',
      'On its way: Arrived at the regional hub',
      'On its way: Picked up by the carrier',
      'Label created: Shipping label created',
    ]);
    // 15:00 UTC on March 2 plus 40 h is 07:00 UTC on March 4: 2:00 AM in New York.
    expect(texts[0]).toMatch(/^Wed, Mar 4, 2:00 AM EST/);
    expect(texts[3]).toMatch(/^Mon, Mar 2, 11:00 AM EST/);
    const stamps = await page.locator('ol.timeline time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(stamps).toEqual([...stamps].sort().reverse());

    expect(await page.locator('a.button').getAttribute('href')).toBe(
      `mailto:support@orderops.local?subject=Question%20about%20order%20${encodeURIComponent(first.orderId)}`,
    );
    // The inline stylesheet applied: its hash in the CSP matches, and nothing was refused.
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(244, 245, 247)');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    expect(await page.locator('main').count()).toBe(1);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it("shows another order's token nothing of the first order", async () => {
    const page = await open(links.trackingPage(second.orderId));
    const text = await page.locator('body').innerText();
    expect(text).toContain(second.trackingNumber);
    expect(text).toContain('Departed the Secaucus facility');
    for (const leak of [first.orderId, first.trackingNumber, 'Nadia', 'Okafor', 'Linden Row', 'Arrived at the regional hub', 'Out for delivery', 'Edison']) {
      expect(text).not.toContain(leak);
    }
    expect(await page.content()).not.toContain(first.trackingNumber);
    await page.close();
  });

  it('fits a narrow phone screen without sideways scrolling', async () => {
    const page = await open(links.trackingPage(first.orderId), { width: 320, height: 640 });
    const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    expect(innerWidth).toBe(320);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    await page.close();
  });
});
