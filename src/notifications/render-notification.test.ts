import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NotificationContext } from './notification-context.js';
import { createNotificationRenderer } from './render-notification.js';
import { sampleNotificationContext } from './sample-notification-context.js';
import type { NotificationTrigger } from './workflow.js';

const DIR = resolve(import.meta.dirname, '../../notifications/templates');
const renderer = createNotificationRenderer(DIR, { timezone: 'America/New_York' });

/** Every default template and the trigger whose sample data it is rendered with. */
const TEMPLATES: Record<string, NotificationTrigger> = {
  'order-confirmed': 'order.confirmed',
  shipped: 'shipment.shipped',
  'out-for-delivery': 'shipment.out_for_delivery',
  delivered: 'shipment.delivered',
  'delayed-first-order': 'shipment.delayed',
  'delayed-repeat': 'shipment.delayed',
  exception: 'shipment.exception',
  'return-received': 'return.received',
  'refund-issued': 'refund.issued',
};
const NAMES = Object.keys(TEMPLATES);

const repeatCustomer = (ctx: NotificationContext): NotificationContext => ({ ...ctx, customer: { ...ctx.customer, order_count: 4, first_order: false } });
const sample = (name: string) => (name === 'delayed-repeat' ? repeatCustomer(sampleNotificationContext(TEMPLATES[name]!)) : sampleNotificationContext(TEMPLATES[name]!));
const render = (name: string, ctx: NotificationContext = sample(name)) => renderer.render(name, ctx);
const allParts = (r: { subject: string; text: string; html: string; sms: string }) => [r.subject, r.text, r.html, r.sms];
const withShipment = (ctx: NotificationContext, patch: Partial<NonNullable<NotificationContext['shipment']>>): NotificationContext => {
  const shipment = { ...ctx.shipment!, ...patch };
  return { ...ctx, shipment, shipments: [shipment] };
};

/** Everything optional left out: what an order with no parcel, address, promise or refund yet gives. */
function sparse(ctx: NotificationContext, shipment: 'none' | 'bare'): NotificationContext {
  const bare = ctx.shipment && {
    ...ctx.shipment,
    carrier: null,
    service: null,
    tracking_number: null,
    carrier_tracking_url: null,
    shipped_at: null,
    expected_delivery_at: null,
    delivered_at: null,
    latest_event: null,
    events: [],
    items: [],
  };
  const s = shipment === 'none' ? null : bare;
  return {
    ...ctx,
    customer: { ...ctx.customer, first_name: '', phone: null },
    order: { ...ctx.order, promised_delivery_at: null, shipping_address: null },
    shipment: s,
    shipments: s ? [s] : [],
    event: { kind: null, detail: null },
    refund: null,
  };
}

describe('notification templates', () => {
  it('has a folder with all four parts for every default template, and no folder without them', () => {
    const folders = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== '_partials').map((d) => d.name);
    expect(folders.sort()).toEqual([...NAMES].sort());
    for (const name of folders) {
      expect(readdirSync(join(DIR, name)).sort(), name).toEqual(['html.liquid', 'sms.liquid', 'subject.liquid', 'text.liquid']);
      expect(renderer.has(name)).toBe(true);
    }
    expect(renderer.has('_partials')).toBe(false);
  });

  describe.each(NAMES)('%s', (name) => {
    it('renders a subject, and an email that names the store and carries the unsubscribe and tracking links', async () => {
      const ctx = sample(name);
      const r = await render(name);
      expect(r.subject.length).toBeGreaterThan(10);
      expect(r.subject).toContain(ctx.order.number);
      for (const part of [r.text, r.html]) {
        expect(part).toContain(ctx.store.name);
        expect(part).toContain(ctx.links.unsubscribe);
        expect(part).toContain(ctx.links.tracking_page);
      }
      expect(r.html).toContain(`href="${ctx.links.support.replace(/&/g, '&amp;')}"`);
    });

    it('keeps the SMS short, names the store and offers STOP', async () => {
      const ctx = sample(name);
      const { sms } = await render(name);
      expect(sms.length).toBeLessThanOrEqual(165);
      expect(sms.startsWith(`${ctx.store.name}:`)).toBe(true);
      expect(sms).toContain('Reply STOP to opt out');
      // One character outside the GSM alphabet turns every segment into 70 characters.
      expect(sms).toMatch(/^[\x20-\x7e]*$/);
    });

    it('keeps the SMS within two segments for a long store name, order number and address', async () => {
      const ctx = sample(name);
      const long: NotificationContext = {
        ...ctx,
        store: { ...ctx.store, name: 'The Extraordinarily Long Name Trading Co', support_email: 'customer-care@extraordinarily-long-name.example.com' },
        order: { ...ctx.order, number: 'EXTRALONG-ORDER-1234567890' },
        event: { ...ctx.event, detail: ctx.event.detail && 'x'.repeat(300) },
      };
      const { sms } = await render(name, long);
      expect(sms.length).toBeLessThanOrEqual(320);
      expect(sms).toContain('Reply STOP to opt out');
    });

    it('writes HTML that loads nothing from elsewhere and runs nothing', async () => {
      const { html } = await render(name);
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('name="viewport"');
      expect(html).not.toMatch(/<script|<link|<style|<img|<iframe|\ssrc=|url\(/i);
    });

    it('escapes what a customer or carrier wrote in the HTML part', async () => {
      const ctx = sample(name);
      const hostile: NotificationContext = {
        ...ctx,
        customer: { ...ctx.customer, first_name: '<script>alert(1)</script>' },
        event: { ...ctx.event, detail: ctx.event.kind ? '<img src=x onerror=alert(2)>' : null },
        shipment: ctx.shipment && { ...ctx.shipment, carrier: 'Ex"press<b>', latest_event: ctx.shipment.latest_event && { ...ctx.shipment.latest_event, detail: '<b>left</b>' } },
      };
      const { html } = await render(name, hostile);
      expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
      expect(html).not.toMatch(/<script|<img|<b>/);
    });

    it.each(['none', 'bare'] as const)('renders without the optional parts (shipment %s) and prints no empty values', async (shipment) => {
      const r = await render(name, sparse(sample(name), shipment));
      for (const part of allParts(r)) {
        expect(part).not.toMatch(/undefined|null|NaN|\[object/i);
        expect(part).not.toMatch(/ [.,:;)]|\( | {2}/);
      }
      expect(r.text).not.toMatch(/\n\n\n/);
      expect(r.text).toMatch(/^Hello,\n\n/);
      expect(r.text).toContain(sample(name).links.unsubscribe);
      expect(r.sms).toContain('Reply STOP to opt out');
      expect(r.sms.length).toBeLessThanOrEqual(320);
    });
  });

  describe('shipped', () => {
    it('gives carrier, tracking number, expected date, the tracking page and the carrier link', async () => {
      const ctx = sample('shipped');
      const r = await render('shipped');
      for (const part of [r.text, r.html]) {
        expect(part).toContain('UPS Ground');
        expect(part).toContain('1Z999AA10123456784');
        expect(part).toContain('Thursday, June 12');
        expect(part).toContain('Merino Trail Sweater');
      }
      expect(r.text).toContain(ctx.shipment!.carrier_tracking_url);
      expect(r.html).toContain(`href="${ctx.shipment!.carrier_tracking_url}"`);
      expect(r.sms).toContain(ctx.links.tracking_page);
      expect(r.sms).toContain('Thu Jun 12');
    });

    it('escapes a carrier name once in the HTML part', async () => {
      const { html } = await render('shipped', withShipment(sample('shipped'), { carrier: 'AT&T "Fast"', service: '<Ground>' }));
      expect(html).toContain('AT&amp;T &#34;Fast&#34; &lt;Ground&gt;');
      expect(html).not.toContain('&amp;amp;');
    });

    it('gives the tracking page once when the carrier link is that same page', async () => {
      const ctx = sample('shipped');
      const r = await render('shipped', withShipment(ctx, { carrier_tracking_url: ctx.links.tracking_page }));
      expect(r.text.split(ctx.links.tracking_page)).toHaveLength(2);
      expect(r.text).not.toContain("own site");
    });

    it('reads dates in the store time zone', async () => {
      const ctx = withShipment(sample('shipped'), { expected_delivery_at: '2025-06-13T02:00:00Z' });
      expect((await render('shipped', ctx)).text).toContain('Expected delivery: Thursday, June 12');
      const berlin = createNotificationRenderer(DIR, { timezone: 'Europe/Berlin' });
      expect((await berlin.render('shipped', ctx)).text).toContain('Expected delivery: Friday, June 13');
    });

    it('says when the parcel is one of several', async () => {
      const ctx = sample('shipped');
      const r = await render('shipped', { ...ctx, shipments: [ctx.shipment!, { ...ctx.shipment!, id: 5102 }] });
      expect(r.text).toContain('comes in 2 parcels');
    });
  });

  describe('delayed', () => {
    it('writes a first order and a repeat customer different words', async () => {
      const first = await render('delayed-first-order');
      const repeat = await render('delayed-repeat');
      expect(first.subject).not.toBe(repeat.subject);
      expect(first.sms).not.toBe(repeat.sms);
      expect(first.text).toContain("You don't need to do anything");
      expect(repeat.text).not.toContain("You don't need to do anything");
      expect(repeat.text.length).toBeLessThan(first.text.length * 0.8);
    });

    it.each(['delayed-first-order', 'delayed-repeat'])('%s gives the reason and the new date', async (name) => {
      const base = sample(name);
      const said = async (kind: string | null, detail: string | null = null) => (await render(name, { ...base, event: { kind, detail } })).text;
      expect(await said('carrier_delay', 'Storm at the hub')).toMatch(/UPS (has told us your parcel is delayed|reported a delay): Storm at the hub/);
      expect(await said('promise_passed')).toContain('Thursday, June 12');
      expect(await said('later_estimate')).toMatch(/estimate/);
      for (const kind of ['carrier_delay', 'promise_passed', 'later_estimate', null]) expect(await said(kind)).toContain('Saturday, June 14');
      const undated = (await render(name, withShipment(base, { expected_delivery_at: null }))).text;
      expect(undated).toMatch(/hasn't given a new delivery date|No new date/);
      expect(undated).not.toContain('Saturday, June 14');
    });
  });

  describe('exception', () => {
    const kinds: [string, RegExp, RegExp][] = [
      ['address', /reply to this email with the corrected address/i, /address/i],
      ['damaged', /damaged/, /damaged/],
      ['returned_to_sender', /sending your parcel back to us/, /coming back/],
      ['other', /reported a problem delivering your parcel/, /problem with the delivery/i],
    ];
    it.each(kinds)('explains %s and gives a way to reach a person', async (kind, body, subject) => {
      const ctx = sample('exception');
      const r = await render('exception', { ...ctx, event: { kind, detail: null } });
      expect(r.text).toMatch(body);
      expect(r.html).toMatch(body);
      expect(r.subject).toMatch(subject);
      expect(r.text).toContain('reply to this email');
      expect(r.text).toContain(ctx.store.support_email);
      expect(r.html).toContain('Write to us');
      expect(r.sms).toContain(ctx.store.support_email);
    });

    it('shows the address on file when the address is the problem', async () => {
      const r = await render('exception');
      expect(r.text).toContain('The address we have:\nAda Lovelace\n12 St James Place\nBrooklyn, NY 11205');
      const damaged = await render('exception', { ...sample('exception'), event: { kind: 'damaged', detail: null } });
      expect(damaged.text).not.toContain('The address we have');
    });
  });

  it('refund-issued states the amount and currency', async () => {
    const r = await render('refund-issued');
    for (const part of [r.subject, r.text, r.html, r.sms]) expect(part).toContain('38.00 USD');
  });

  it('return-received says the return arrived and what happens next', async () => {
    const r = await render('return-received');
    expect(r.text).toContain('has arrived');
    expect(r.text).toContain('What happens next');
    expect(r.html).toContain('What happens next');
  });

  it('refuses a name that is not a template', async () => {
    await expect(renderer.render('../shipped', sample('shipped'))).rejects.toThrow(/not a template name/);
  });
});
