import { expect, it } from 'vitest';
import { flagHeldIntake, type HeldOnIntakeEvent } from '../../src/anomaly/flag-held-intake.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { upsertCatalog } from '../../src/domain/catalog/upsert-catalog.js';
import type { CanonicalOrder } from '../../src/domain/orders/canonical-order.js';
import { ingestChannelOrder } from '../../src/domain/orders/ingest-channel-order.js';
import { orderView } from '../../src/server/order-view.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'webhook', id: 'shopify' };
let n = 0;

const order = (over: Partial<CanonicalOrder> = {}): CanonicalOrder => ({
  channel: 'shopify',
  external_id: `ing-${++n}`,
  customer: { email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper' },
  shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
  lines: [{ sku: 'IN-TEE', quantity: 1 }],
  payment: { method: 'card' },
  ...over,
});

async function reserved(db: Db, orderId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT COALESCE(sum(quantity), 0)::int AS n FROM reservations WHERE order_id = $1 AND status = 'active'`,
    [orderId],
  );
  return rows[0]!.n;
}

async function heldEvent(db: Db, orderId: string): Promise<HeldOnIntakeEvent | undefined> {
  const { rows } = await db.query<{ payload: HeldOnIntakeEvent }>(
    `SELECT payload FROM outbox WHERE topic = 'order.held_on_intake' AND payload->>'orderId' = $1`,
    [orderId],
  );
  return rows[0]?.payload;
}

describeEachDb('ingestChannelOrder', (ctx) => {
  it('takes a known order in pending, with everything the storefront sent', async () => {
    await seedTestCatalog(ctx.db, 'p-in', [
      { sku: 'IN-TEE', price: '20.00', stock: { 'loc-east-wh': 10 } },
      { sku: 'IN-CARD', price: '50.00', stock: {} },
    ]);
    const input = order({
      billing_address: { address1: '9 Bill St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207', name: 'G Hopper' },
      shipping_lines: [{ title: 'Express (1-2 days)', price: 9.5 }],
      discounts: [{ code: 'WELCOME', amount: 5 }],
      taxes: [{ title: 'NY State Tax', rate: 0.04, amount: 2.6 }],
      note: 'leave at the door',
      tags: ['vip'],
      lines: [
        { sku: 'IN-TEE', quantity: 2, unit_price: 20, total_discount: 2, external_line_id: 'L1' },
        { sku: 'IN-CARD', quantity: 1, unit_price: 50, requires_shipping: false, gift_card: true },
        { sku: 'SVC-ENGRAVE', title: 'Engraving', quantity: 1, unit_price: 7, requires_shipping: false },
      ],
      // 40 - 2 + 50 + 7 - 5 + 9.5 + 2.6
      payment: { method: 'card', amount: 102.1 },
      client: { browser_ip: '203.0.113.5', accept_language: 'en-US', avs_result: 'Y', cvv_result: 'M' },
    });
    const r = await ingestChannelOrder(ctx.db, input, actor);
    expect(r).toMatchObject({ created: true, holds: [] });
    expect(r.order.status).toBe('pending');
    expect(r.order.serviceLevel).toBe('expedited');
    // The gift card reserves nothing; the tee reserves its two units.
    expect(await reserved(ctx.db, r.order.id)).toBe(2);
    const view = orderView(r.order);
    expect(view).toMatchObject({
      total: 102.1,
      subtotal: 97,
      discount_total: 7,
      shipping_total: 9.5,
      tax_total: 2.6,
      billing_address: { address1: '9 Bill St', name: 'G Hopper' },
      shipping_lines: [{ title: 'Express (1-2 days)', price: 9.5 }],
      discounts: [{ code: 'WELCOME', amount: 5 }],
      taxes: [{ title: 'NY State Tax', rate: 0.04, amount: 2.6 }],
      note: 'leave at the door',
      tags: ['vip'],
      non_stock_lines: [{ sku: 'SVC-ENGRAVE', title: 'Engraving', unit_price: 7 }],
      unmatched_lines: [],
      client: { accept_language: 'en-US', avs_result: 'Y', cvv_result: 'M' },
    });
    expect(view.lines.map((l) => [l.name.length > 0, l.requires_shipping, l.gift_card, l.total_discount, l.external_line_id])).toEqual([
      [true, true, false, 2, 'L1'],
      [true, false, true, 0, null],
    ]);
    expect(await heldEvent(ctx.db, r.order.id)).toBeUndefined();
  });

  it('holds an order with an unknown SKU: in the ledger, the line kept, nothing reserved for it, a flag', async () => {
    const r = await ingestChannelOrder(ctx.db, order({ lines: [{ sku: 'IN-TEE', quantity: 1 }, { sku: 'NOPE-1', quantity: 3, unit_price: 4 }] }), actor);
    expect(r.created).toBe(true);
    expect(r.holds).toEqual(['lines.1.sku: unknown SKU NOPE-1']);
    expect(r.order.status).toBe('on_hold');
    expect(r.order.holdReason).toBe('lines.1.sku: unknown SKU NOPE-1');
    expect(r.order.extras.unmatchedLines).toEqual([{ index: 1, sku: 'NOPE-1', quantity: 3, unit_price: 4, reason: 'unknown SKU NOPE-1' }]);
    expect(await reserved(ctx.db, r.order.id)).toBe(1);
    const event = await heldEvent(ctx.db, r.order.id);
    expect(event?.reasons).toEqual([{ code: 'unknown_sku', path: 'lines.1.sku', message: 'unknown SKU NOPE-1' }]);
    const { flag, created } = await flagHeldIntake(ctx.db, event!, { kind: 'job', id: 'anomaly-detector' });
    expect(created).toBe(true);
    expect(flag).toMatchObject({ subjectType: 'order', subjectId: r.order.id, rule: 'held_on_intake', reasons: ['lines.1.sku: unknown SKU NOPE-1'] });
    // A redelivered event refreshes the flag instead of adding one.
    expect((await flagHeldIntake(ctx.db, event!, { kind: 'job', id: 'anomaly-detector' })).created).toBe(false);
  });

  it('resolves a line through the channel variant map before the SKU, and holds an unmapped one', async () => {
    await seedTestCatalog(ctx.db, 'p-hat', [{ sku: 'IN-HAT', price: '15.00', stock: { 'loc-east-wh': 3 } }]);
    await upsertCatalog(
      ctx.db,
      [{ handle: 'in-hat', name: 'Hat', variants: [{ sku: 'IN-HAT', options: {}, price: 15, channel: { channel: 'shopify', external_variant_id: '777' } }] }],
      actor,
    );
    const mapped = await ingestChannelOrder(ctx.db, order({ lines: [{ external_variant_id: '777', sku: 'STALE-SKU', quantity: 1 }] }), actor);
    expect(mapped.holds).toEqual([]);
    expect(mapped.order.lines.map((l) => [l.externalVariantId, l.priceCents])).toEqual([['777', 1500]]);
    const unmapped = await ingestChannelOrder(ctx.db, order({ lines: [{ external_variant_id: '778', quantity: 1 }] }), actor);
    expect(unmapped.order.status).toBe('on_hold');
    expect(unmapped.holds).toEqual(['lines.0.external_variant_id: shopify variant 778 is not mapped to a variant of ours']);
  });

  it('holds an order with no address for a shippable line, reserving nothing', async () => {
    const { shipping_address: _, ...rest } = order();
    const r = await ingestChannelOrder(ctx.db, rest, actor);
    expect(r.order.status).toBe('on_hold');
    expect(r.holds).toEqual(['shipping_address: is missing and a line requires shipping']);
    expect(await reserved(ctx.db, r.order.id)).toBe(0);
    expect(orderView(r.order).shipping_address).toBeNull();
    expect((await heldEvent(ctx.db, r.order.id))?.reasons.map((x) => x.code)).toEqual(['incomplete_order']);
  });

  it('needs no address when nothing ships', async () => {
    const { shipping_address: _, ...rest } = order({ lines: [{ sku: 'IN-CARD', quantity: 1, gift_card: true, requires_shipping: false }] });
    const r = await ingestChannelOrder(ctx.db, rest, actor);
    expect(r).toMatchObject({ created: true, holds: [] });
    expect(r.order.status).toBe('pending');
  });

  it('holds a total or a unit price we disagree with, naming every reason, and records what was charged', async () => {
    const r = await ingestChannelOrder(
      ctx.db,
      order({ lines: [{ sku: 'IN-TEE', quantity: 1, unit_price: 2 }], payment: { method: 'card', amount: 3 } }),
      actor,
    );
    expect(r.order.status).toBe('on_hold');
    expect(r.holds).toEqual([
      'lines.0.unit_price: 2.00 is far from the catalog price 20.00 of SKU IN-TEE',
      'payment.amount: 3.00 does not match the order total 2.00',
    ]);
    expect(r.order.payments.map((p) => p.amountCents)).toEqual([300]);
    expect((await heldEvent(ctx.db, r.order.id))?.reasons.map((x) => x.code)).toEqual(['price_disagreement', 'payment_amount_mismatch']);
  });

  it('is idempotent on (channel, external_id): a repeat writes nothing', async () => {
    const input = order({ lines: [{ sku: 'NOPE-2', quantity: 1 }] });
    const first = await ingestChannelOrder(ctx.db, input, actor);
    const count = async () => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`)).rows[0]!.n;
    const before = await count();
    const again = await ingestChannelOrder(ctx.db, input, actor);
    expect(again).toMatchObject({ created: false, holds: [] });
    expect(again.order.id).toBe(first.order.id);
    expect(await count()).toBe(before);
  });
});
