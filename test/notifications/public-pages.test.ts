import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadPreferences, updatePreferences } from '../../src/notifications/consent/notification-preferences.js';
import { notificationLinks } from '../../src/notifications/notification-links.js';
import { signToken } from '../../src/notifications/signed-token.js';
import { APP_EXTENSIONS } from '../../src/server/app-extensions.js';
import { publicPagesExtension } from '../../src/server/public-pages-extension.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';
import { placeTrackedOrder, seedTrackedOrderCatalog, type TrackedOrder } from '../support/tracked-order-fixture.js';

const SECRET = 'public-pages-test-signing-secret-0123456789';
const API_TOKEN = 'public-pages-test-api-token';
const SUPPORT = 'care@shop.example';
const HOUR = 3_600_000;

describeEachDb('public tracking and unsubscribe pages through the running server', (ctx) => {
  let running: RunningApp;
  let links: ReturnType<typeof notificationLinks>;
  let alice: TrackedOrder;
  let bob: TrackedOrder;
  let aliceCustomer: string;
  let bobCustomer: string;
  const expected = new Date('2026-03-06T17:00:00Z');

  beforeAll(async () => {
    await seedTrackedOrderCatalog(ctx.db);
    alice = await placeTrackedOrder(ctx.db, {
      externalId: `pp-alice-${ctx.backend}`,
      customer: { email: 'alice.pages@example.com', first_name: 'Alice', last_name: 'Quimby', phone: '+15550001111' },
      address: { address1: '77 Sparrow Lane', city: 'Albany', state: 'NY', zip: '12207' },
      scans: [
        { status: 'pre_transit', detail: 'Label created', location: 'Newark, NJ', hours: 1 },
        { status: 'in_transit', detail: 'Picked up by the carrier', location: 'Newark, NJ', hours: 8 },
        { status: 'in_transit', detail: 'Departed the sorting facility', location: 'Edison, NJ', hours: 20, expectedDeliveryAt: expected },
      ],
    });
    bob = await placeTrackedOrder(ctx.db, {
      externalId: `pp-bob-${ctx.backend}`,
      customer: { email: 'bob.pages@example.com', first_name: 'Bob', last_name: 'Zellweger' },
      address: { address1: '9 Heron Court', city: 'Troy', state: 'NY', zip: '12180' },
      lines: [{ sku: 'TRK-MUG', quantity: 3 }],
      scans: [{ status: 'in_transit', detail: 'Arrived at the Troy depot', location: 'Troy, NY', hours: 30 }],
    });
    const owners = await ctx.db.query<{ id: string; customer_id: string }>('SELECT id, customer_id FROM orders WHERE id = ANY($1)', [[alice.orderId, bob.orderId]]);
    aliceCustomer = owners.rows.find((r) => r.id === alice.orderId)!.customer_id;
    bobCustomer = owners.rows.find((r) => r.id === bob.orderId)!.customer_id;
    const config = testAppConfig('public-pages', {
      SIGNING_SECRET: SECRET,
      API_TOKEN,
      SUPPORT_EMAIL: SUPPORT,
      STORE_NAME: 'Quiet Goods',
      STORE_TIMEZONE: 'America/New_York',
    });
    running = await startApp(config, { db: ctx.db, extensions: [publicPagesExtension], log: () => {} });
    links = notificationLinks(running.url, SECRET);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const get = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    return { res, body: await res.text() };
  };
  const trackUrl = (token: string) => `${running.url}/track/${token}`;
  const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);

  it('is part of what npm start runs', () => {
    expect(APP_EXTENSIONS).toContain(publicPagesExtension);
  });

  it("shows the order's parcel, items, carrier events newest first and dates in the store's time zone, without a login", async () => {
    const { res, body } = await get(links.trackingPage(alice.orderId));
    expect(res.status).toBe(200);
    expect(body).toContain(`Order ${alice.orderId}`);
    expect(body).toContain('Hi Alice,');
    expect(body).toContain(alice.trackingNumber);
    expect(body).toContain('Sandbox');
    expect(body).toContain(alice.service);
    expect(body).toContain('2 × Merino tee (M)');
    expect(body).toContain('1 × Stoneware mug (M)');
    expect(body).toContain('On its way');
    const order = ['Departed the sorting facility', 'Picked up by the carrier', 'Label created'].map((t) => body.indexOf(t));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // 20 h after 15:00 UTC on March 2 is 11:00 UTC on March 3: 6:00 AM in New York.
    expect(body).toContain('Tue, Mar 3, 6:00 AM EST');
    expect(body).toContain('Expected delivery');
    expect(body).toContain('Friday, March 6, 2026');
    const { rows } = await ctx.db.query<{ promised_delivery_at: Date | null }>('SELECT promised_delivery_at FROM orders WHERE id = $1', [alice.orderId]);
    expect(rows[0]!.promised_delivery_at).not.toBeNull();
    const promised = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' })
      .format(new Date(rows[0]!.promised_delivery_at!));
    expect(body).toContain(`We promised it by <strong>${promised}</strong>`);
    expect(body).toContain(`href="mailto:${SUPPORT}?subject=Question%20about%20order%20${encodeURIComponent(alice.orderId)}"`);
    // Nothing but the first name and the parcels: no last name, address, email, phone or price.
    for (const secret of ['Quimby', '77 Sparrow', '12207', 'alice.pages@example.com', '5550001111', '30.00', '$']) expect(body).not.toContain(secret);
  });

  it("shows another order's token that order alone, with nothing of the first", async () => {
    const { res, body } = await get(links.trackingPage(bob.orderId));
    expect(res.status).toBe(200);
    expect(body).toContain(bob.trackingNumber);
    expect(body).toContain('Arrived at the Troy depot');
    for (const other of [alice.orderId, alice.trackingNumber, 'Alice', 'Departed the sorting facility', 'Edison', 'Merino tee']) expect(body).not.toContain(other);
  });

  it('answers a forged, tampered, malformed or other-purpose token with the same not-found page', async () => {
    const genuine = tokenOf(links.trackingPage(alice.orderId));
    const [aliceBody] = genuine.split('.');
    const [, bobMac] = tokenOf(links.trackingPage(bob.orderId)).split('.');
    const flipped = genuine.slice(0, -1) + (genuine.endsWith('A') ? 'B' : 'A');
    const nowhere = signToken('another-secret-of-sufficient-length-000', 'track', 'W-does-not-exist');
    const candidates = [
      flipped,
      `${aliceBody}.${bobMac}`,
      signToken('another-secret-of-sufficient-length-000', 'track', alice.orderId),
      tokenOf(links.unsubscribe(aliceCustomer, 'transactional')),
      signToken(SECRET, 'unsubscribe', alice.orderId),
      'not-a-token',
      `${'A'.repeat(600)}.x`,
      encodeURIComponent('<script>alert(1)</script>'),
      `${genuine}/extra`,
      '',
    ];
    const { body: reference } = await get(trackUrl(nowhere));
    expect(reference).toContain('This link does not work');
    for (const token of candidates) {
      const { res, body } = await get(trackUrl(token));
      expect(res.status, token).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // Byte for byte the page a token for no order gets: nothing says the order exists.
      expect(body, token).toBe(reference);
    }
  });

  it('sets the strict headers on every page, with the CSP hash matching the one inline stylesheet', async () => {
    for (const [url, status] of [[links.trackingPage(alice.orderId), 200], [trackUrl('forged.token'), 404], [links.unsubscribe(aliceCustomer, 'marketing'), 200]] as const) {
      const { res, body } = await get(url);
      expect(res.status).toBe(status);
      const style = /<style>([\s\S]*?)<\/style>/.exec(body)![1]!;
      const hash = createHash('sha256').update(style, 'utf8').digest('base64');
      expect(res.headers.get('content-security-policy')).toBe(
        `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-robots-tag')).toMatch(/noindex/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(body).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(body).toContain('<main id="main">');
      expect(body).not.toMatch(/<script|style="/);
    }
  });

  it('is public while the API behind it still needs the token', async () => {
    expect((await fetch(`${running.url}/api/orders/${encodeURIComponent(alice.orderId)}`)).status).toBe(401);
    expect((await fetch(links.trackingPage(alice.orderId), { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(links.unsubscribe(aliceCustomer, 'transactional'), { method: 'HEAD' })).status).toBe(200);
  });

  it('asks to confirm on GET and changes nothing, however often the link is opened', async () => {
    const url = links.unsubscribe(aliceCustomer, 'transactional');
    for (let i = 0; i < 3; i++) {
      const { res, body } = await get(url);
      expect(res.status).toBe(200);
      expect(body).toContain('Unsubscribe from order and delivery updates?');
      expect(body).toMatch(/<form method="post">[\s\S]*name="List-Unsubscribe" value="One-Click"/);
    }
    expect((await loadPreferences(ctx.db, aliceCustomer)).emailTransactional).toBe(true);
    const { rows } = await ctx.db.query('SELECT 1 FROM notification_preferences WHERE customer_id = $1', [aliceCustomer]);
    expect(rows).toEqual([]);
  });

  it('unsubscribes on the RFC 8058 one-click POST, with no cookie or CSRF token, once however often it is sent', async () => {
    const url = links.unsubscribe(aliceCustomer, 'transactional');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('You are unsubscribed');
    }
    const prefs = await loadPreferences(ctx.db, aliceCustomer);
    expect(prefs).toMatchObject({ emailTransactional: false, emailMarketing: false, smsTransactional: true });
    const audits = await ctx.db.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_log WHERE action = 'notification_preferences.updated' AND entity_id = $1`,
      [aliceCustomer],
    );
    expect(audits.rows).toEqual([{ actor_id: 'unsubscribe-link' }]);
    const { body } = await get(url);
    expect(body).toContain('You are already unsubscribed');
    expect(body).not.toContain('<form');
  });

  it('switches off only marketing mail for a marketing link, sent as multipart form data', async () => {
    await updatePreferences(ctx.db, bobCustomer, { patch: { emailMarketing: true } }, { kind: 'api', id: 'test' });
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(links.unsubscribe(bobCustomer, 'marketing'), { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('news and offers');
    expect(await loadPreferences(ctx.db, bobCustomer)).toMatchObject({ emailMarketing: false, emailTransactional: true });
  });

  it('refuses a forged or other-purpose unsubscribe token with the not-found page and changes nothing', async () => {
    await updatePreferences(ctx.db, bobCustomer, { patch: { emailMarketing: true } }, { kind: 'api', id: 'test' });
    const before = await ctx.db.query('SELECT * FROM notification_preferences ORDER BY customer_id');
    const genuine = tokenOf(links.unsubscribe(bobCustomer, 'transactional'));
    const forged = [
      genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BB' : 'AA'),
      signToken('another-secret-of-sufficient-length-000', 'unsubscribe', `${bobCustomer}\ntransactional`),
      tokenOf(links.trackingPage(bob.orderId)),
      signToken(SECRET, 'track', `${bobCustomer}\nmarketing`),
      signToken(SECRET, 'unsubscribe', `${bobCustomer}\neverything`),
      signToken(SECRET, 'unsubscribe', 'no_such_customer_0000\ntransactional'),
      'junk',
    ];
    for (const token of forged) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${running.url}/unsubscribe/${token}`, {
          method,
          ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' } : {}),
        });
        expect(res.status, `${method} ${token}`).toBe(404);
        expect(await res.text()).toContain('This link does not work');
      }
    }
    expect((await ctx.db.query('SELECT * FROM notification_preferences ORDER BY customer_id')).rows).toEqual(before.rows);
  });

  it('shows a parcel whose label exists but has no carrier scan yet', async () => {
    const fresh = await placeTrackedOrder(ctx.db, {
      externalId: `pp-fresh-${ctx.backend}`,
      customer: { email: 'cleo.pages@example.com', first_name: 'Cleo', last_name: 'Marsh' },
      scans: [],
      labelBoughtAt: new Date(Date.now() - HOUR),
    });
    const { res, body } = await get(links.trackingPage(fresh.orderId));
    expect(res.status).toBe(200);
    expect(body).toContain('Label created');
    expect(body).toContain('No scans from the carrier yet.');
    expect(body).toContain(fresh.trackingNumber);
  });
});
