import { expect, it } from 'vitest';
import { countLedgerRows } from '../../../test/support/count-ledger-rows.js';
import { seedTestCatalog } from '../../../test/support/seed-test-catalog.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { DomainError } from '../domain-error.js';
import { getInventoryBySku } from '../inventory/get-inventory-by-sku.js';
import type { CanonicalOrder } from './canonical-order.js';
import { createOrder } from './create-order.js';
import { OrderInputError } from './order-input-error.js';

const actor: Actor = { kind: 'api', id: 'test' };

const order = (over: Partial<CanonicalOrder> = {}): CanonicalOrder => ({
  channel: 'shopify',
  external_id: `ext-${Math.random().toString(36).slice(2)}`,
  customer: { email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace' },
  shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
  lines: [{ sku: 'CO-TEE-M', quantity: 2 }],
  payment: { method: 'card' },
  ...over,
});

describeEachDb('createOrder', (ctx) => {
  it('writes order, lines at catalog price, reservation in the local region, payment, outbox and audit', async () => {
    await seedTestCatalog(ctx.db, 'p-co', [
      { sku: 'CO-TEE-M', price: '19.99', stock: { 'loc-east-wh': 5, 'loc-west-wh': 50 } },
      { sku: 'CO-MUG', price: '8.50', stock: { 'loc-east-wh': 1, 'loc-west-wh': 10 } },
      { sku: 'CO-LAMP', price: '40.00', stock: { 'loc-east-store': 2, 'loc-west-3pl': 2 } },
      { sku: 'CO-RARE', price: '99.00', stock: { 'loc-west-wh': 1 } },
    ]);
    const input = order({
      external_id: 'A-1',
      lines: [
        { sku: 'CO-TEE-M', quantity: 2 },
        { sku: 'CO-MUG', quantity: 1, unit_price: 7.25 },
      ],
      client: { browser_ip: '203.0.113.9', device_id: 'dev-1' },
    });
    const { created, order: o } = await createOrder(ctx.db, input, actor);

    expect(created).toBe(true);
    expect(o.id).toMatch(/^#W\d{7}$/);
    expect(o.status).toBe('pending');
    expect(o.lines.map((l) => [l.variantId, l.quantity, l.priceCents, l.locationId])).toEqual([
      ['v-CO-TEE-M', 2, 1999, 'loc-east-wh'],
      ['v-CO-MUG', 1, 725, 'loc-east-wh'],
    ]);
    expect(o.payments.map((p) => [p.kind, p.amountCents])).toEqual([['payment', 2 * 1999 + 725]]);
    expect(o.payments[0]!.paymentMethodId).toMatch(/^credit_card_\d{7}$/);

    const reservations = await ctx.db.query<{ variant_id: string; location_id: string; quantity: number; order_line_id: number }>(
      `SELECT variant_id, location_id, quantity, order_line_id FROM reservations WHERE order_id = $1 AND status = 'active' ORDER BY id`,
      [o.id],
    );
    expect(reservations.rows.map((r) => [r.variant_id, r.location_id, r.quantity, r.order_line_id])).toEqual(
      o.lines.map((l) => [l.variantId, l.locationId, l.quantity, l.id]),
    );
    expect((await getInventoryBySku(ctx.db, 'CO-MUG')).locations.find((l) => l.location_id === 'loc-east-wh')).toMatchObject({
      on_hand: 1,
      reserved: 1,
      available: 0,
    });
    const stored = await ctx.db.query<{ client: unknown }>('SELECT client FROM orders WHERE id = $1', [o.id]);
    expect(stored.rows[0]!.client).toEqual({ browser_ip: '203.0.113.9', device_id: 'dev-1' });
    const outbox = await ctx.db.query<{ payload: { orderId: string; total: number } }>(
      `SELECT payload FROM outbox WHERE topic = 'order.created' AND payload->>'orderId' = $1`,
      [o.id],
    );
    expect(outbox.rows.map((r) => r.payload.total)).toEqual([47.23]);
    const audit = await ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 OR entity_id = $2 ORDER BY id`,
      [o.id, o.customerId],
    );
    // The reservation is the last write before COMMIT (its stock locks are taken last).
    expect(audit.rows.map((r) => r.action)).toEqual([
      'customer.created',
      'order.payments_appended',
      'order.created',
      'inventory.reserved',
    ]);
  });

  it('returns the stored order with created: false on a repeat of (channel, external_id) and writes nothing', async () => {
    const input = order({ external_id: 'A-2' });
    const first = await createOrder(ctx.db, input, actor);
    const before = await countLedgerRows(ctx.db);
    const again = await createOrder(ctx.db, { ...input, lines: [{ sku: 'CO-MUG', quantity: 1 }] }, actor);
    expect(again.created).toBe(false);
    expect(again.order.id).toBe(first.order.id);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('matches the customer by email ignoring case and reuses their card', async () => {
    const a = await createOrder(ctx.db, order({ external_id: 'A-3' }), actor);
    const b = await createOrder(
      ctx.db,
      order({ external_id: 'A-4', customer: { email: 'ADA.Lovelace@Example.com', first_name: 'Ada', last_name: 'L' } }),
      actor,
    );
    expect(b.order.customerId).toBe(a.order.customerId);
    expect(b.order.payments[0]!.paymentMethodId).toBe(a.order.payments[0]!.paymentMethodId);
  });

  it('splits a line across locations when no location holds all of it', async () => {
    const { order: o } = await createOrder(
      ctx.db,
      order({ external_id: 'A-5', lines: [{ sku: 'CO-LAMP', quantity: 3 }] }),
      actor,
    );
    expect(o.lines.map((l) => [l.locationId, l.quantity])).toEqual([
      ['loc-east-store', 2],
      ['loc-west-3pl', 1],
    ]);
  });

  it('refuses an unknown SKU naming the line, and writes nothing', async () => {
    const before = await countLedgerRows(ctx.db);
    const err = await createOrder(
      ctx.db,
      order({ external_id: 'A-6', customer: { email: 'new.buyer@example.com', first_name: 'New', last_name: 'Buyer' }, lines: [{ sku: 'CO-TEE-M', quantity: 1 }, { sku: 'NOPE', quantity: 1 }] }),
      actor,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderInputError);
    expect((err as OrderInputError).issues).toEqual([{ path: 'lines.1.sku', message: 'unknown SKU NOPE' }]);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('refuses when stock cannot cover a line, naming wanted and available, and writes nothing', async () => {
    const before = await countLedgerRows(ctx.db);
    const err = await createOrder(
      ctx.db,
      order({
        external_id: 'A-7',
        customer: { email: 'other.buyer@example.com', first_name: 'Other', last_name: 'Buyer' },
        lines: [{ sku: 'CO-TEE-M', quantity: 1 }, { sku: 'CO-RARE', quantity: 2 }],
      }),
      actor,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toBe('Not enough stock available for CO-RARE (wanted 2, available 1)');
    expect((err as DomainError).httpStatus).toBe(409);
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('charges a gift card of the customer and refuses one without enough balance', async () => {
    const { order: first } = await createOrder(ctx.db, order({ external_id: 'A-8' }), actor);
    await ctx.db.query(`INSERT INTO payment_methods (id, customer_id, source, balance) VALUES ('gift_card_0000001', $1, 'gift_card', 50)`, [
      first.customerId,
    ]);
    const ok = await createOrder(
      ctx.db,
      order({ external_id: 'A-9', payment: { method: 'gift_card', payment_method_id: 'gift_card_0000001', amount: 39.98 } }),
      actor,
    );
    expect(ok.order.payments[0]!.paymentMethodId).toBe('gift_card_0000001');
    const balance = await ctx.db.query<{ balance: string }>(`SELECT balance::text AS balance FROM payment_methods WHERE id = 'gift_card_0000001'`);
    expect(balance.rows[0]!.balance).toBe('10.02');

    const before = await countLedgerRows(ctx.db);
    await expect(
      createOrder(ctx.db, order({ external_id: 'A-10', payment: { method: 'gift_card', payment_method_id: 'gift_card_0000001' } }), actor),
    ).rejects.toThrow('gift card gift_card_0000001 has 10.02, the order total is 39.98');
    await expect(
      createOrder(ctx.db, order({ external_id: 'A-11', payment: { method: 'card', amount: 1 } }), actor),
    ).rejects.toThrow('payment.amount: 1.00 does not match the order total 39.98');
    expect(await countLedgerRows(ctx.db)).toEqual(before);
  });

  it('under concurrency sells each unit once and creates a repeated order once', async () => {
    await seedTestCatalog(ctx.db, 'p-co-race', [{ sku: 'CO-LAST', price: '5.00', stock: { 'loc-east-wh': 3, 'loc-west-wh': 2 } }]);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        createOrder(
          ctx.db,
          order({
            external_id: `race-${i}`,
            customer: { email: `racer${i}@example.com`, first_name: 'Race', last_name: `R${i}` },
            lines: [{ sku: 'CO-LAST', quantity: 1 }],
          }),
          actor,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect((await getInventoryBySku(ctx.db, 'CO-LAST')).totals).toEqual({ on_hand: 5, reserved: 5, available: 0 });

    const dup = order({ external_id: 'dup-1', lines: [{ sku: 'CO-TEE-M', quantity: 1 }] });
    const dups = await Promise.all(Array.from({ length: 5 }, () => createOrder(ctx.db, dup, actor)));
    expect(dups.filter((d) => d.created)).toHaveLength(1);
    expect(new Set(dups.map((d) => d.order.id)).size).toBe(1);
    const rows = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE external_id = 'dup-1'`);
    expect(rows.rows[0]!.n).toBe(1);
  });
});
