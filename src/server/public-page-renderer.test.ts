import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPublicPageRenderer } from './public-page-renderer.js';
import { trackingPageScope } from './tracking-page-scope.js';
import { SAMPLE_VIEW } from '../../test/support/sample-tracking-view.js';

const renderer = (timezone = 'America/New_York') =>
  createPublicPageRenderer({ timezone, storeName: 'Quiet <Goods>', supportEmail: 'care@shop.example' });

describe('createPublicPageRenderer', () => {
  it('escapes whatever a customer, storefront or carrier wrote', async () => {
    const view = {
      ...SAMPLE_VIEW,
      firstName: '<img src=x onerror=alert(1)>',
      shipments: [{ ...SAMPLE_VIEW.shipments[0]!, events: [{ status: 'in_transit', detail: '"><script>alert(2)</script>', location: 'A & B', occurredAt: new Date() }] }],
    };
    const html = await renderer().render('tracking', trackingPageScope(view, 'care@shop.example'));
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;,');
    expect(html).toContain('&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('A &amp; B');
    expect(html).toContain('<title>Order #W1234567 · Quiet &lt;Goods&gt;</title>');
  });

  it('gives the hash of exactly the stylesheet it inlines', async () => {
    const r = renderer();
    const html = await r.render('not-found', {});
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style.length).toBeGreaterThan(100);
    expect(r.styleHash).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it("shows dates in the store's time zone", async () => {
    const scope = trackingPageScope(SAMPLE_VIEW, 'care@shop.example');
    const ny = await renderer('America/New_York').render('tracking', scope);
    expect(ny).toContain('Mon, Mar 2, 3:00 PM EST');
    expect(ny).toContain('Friday, March 6, 2026');
    const tokyo = await renderer('Asia/Tokyo').render('tracking', scope);
    expect(tokyo).toContain('Tue, Mar 3, 5:00 AM GMT+9');
    expect(tokyo).toContain('Saturday, March 7, 2026');
  });

  it('asks before it unsubscribes, and says which mail it is about', async () => {
    const confirm = await renderer().render('unsubscribe', { category: 'marketing', state: 'confirm' });
    expect(confirm).toContain('Unsubscribe from news and offers?');
    expect(confirm).toMatch(/<form method="post">\s*<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
    const done = await renderer().render('unsubscribe', { category: 'transactional', state: 'done' });
    expect(done).toContain('We will not send you order and delivery updates by email any more.');
    expect(done).not.toContain('<form');
  });
});
