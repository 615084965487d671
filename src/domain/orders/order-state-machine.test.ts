import { expect, it } from 'vitest';
import { countLedgerRows } from '../../../test/support/count-ledger-rows.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from './order-status.js';
import { transitionOrder, transitionRefusal } from './order-state-machine.js';

const actor: Actor = { kind: 'person', id: 'U-ops' };

describeEachDb('transitionOrder', (ctx) => {
  let n = 0;
  async function orderIn(status: string): Promise<string> {
    const id = `#SM${process.pid}-${++n}`;
    await ctx.db.query(
      `INSERT INTO customers (id, first_name, last_name, email) VALUES ('sm_customer', 'Sam', 'Machine', 'sam@machine.test')
       ON CONFLICT DO NOTHING`,
    );
    await ctx.db.query(
      `INSERT INTO orders (id, customer_id, channel, external_id, status, address1, city, state, country, zip, status_changed_at)
       VALUES ($1, 'sm_customer', 'api', $1, $2, '1 Main St', 'Springfield', 'IL', 'USA', '62701', '2024-01-01T00:00:00Z')`,
      [id, status],
    );
    return id;
  }
  const orderRow = async (id: string) =>
    (await ctx.db.query('SELECT status, status_changed_at, cancel_reason, hold_reason FROM orders WHERE id = $1', [id])).rows[0];

  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));
  const illegal = pairs.filter(([from, to]) => !ORDER_TRANSITIONS[from].includes(to));
  const legal = pairs.filter(([from, to]) => ORDER_TRANSITIONS[from].includes(to));

  it('refuses every pair the table does not list, with its reason, writing nothing', async () => {
    expect(illegal.length).toBeGreaterThan(0);
    for (const [from, to] of illegal) {
      const id = await orderIn(from);
      const before = { row: await orderRow(id), counts: await countLedgerRows(ctx.db) };
      const reason = transitionRefusal(from, to);
      expect(reason, `${from} → ${to}`).not.toBeNull();
      await expect(
        transitionOrder(ctx.db, id, { to, actor, reason: 'test', set: { hold_reason: 'should not be written' } }),
        `${from} → ${to}`,
      ).rejects.toMatchObject({ name: 'DomainError', code: 'illegal_transition', message: `order ${id}: ${reason}` });
      expect({ row: await orderRow(id), counts: await countLedgerRows(ctx.db) }, `${from} → ${to}`).toEqual(before);
    }
  });

  it('names the statuses a refused order can still move to, or that it cannot move at all', () => {
    expect(transitionRefusal('delivered', 'pending')).toBe(
      'a delivered order cannot become pending (it can become: return requested, exchange requested)',
    );
    expect(transitionRefusal('cancelled', 'pending')).toBe('a cancelled order cannot change status');
    expect(transitionRefusal('pending', 'pending')).toBe('the order is already pending');
    expect(transitionRefusal('pending', 'teleported')).toBe('"teleported" is not an order status');
  });

  it('refuses a status outside the table, and an order with an unknown status, writing nothing', async () => {
    const ok = await orderIn('pending');
    const odd = await orderIn('lost in space');
    const before = await countLedgerRows(ctx.db);
    await expect(transitionOrder(ctx.db, ok, { to: 'teleported' as OrderStatus, actor })).rejects.toMatchObject({ code: 'illegal_transition' });
    await expect(transitionOrder(ctx.db, odd, { to: 'cancelled', actor })).rejects.toThrow(/unknown status "lost in space"/);
    await expect(transitionOrder(ctx.db, '#nope', { to: 'cancelled', actor })).rejects.toMatchObject({ code: 'order_not_found' });
    expect(await countLedgerRows(ctx.db)).toEqual(before);
    expect((await orderRow(ok))!.status).toBe('pending');
  });

  it('makes every listed transition, writing the status, one order event and one audit row', async () => {
    for (const [from, to] of legal) {
      const id = await orderIn(from);
      const before = await countLedgerRows(ctx.db);
      expect(await transitionOrder(ctx.db, id, { to, actor, reason: 'because' })).toEqual({ from, to });
      const after = await countLedgerRows(ctx.db);
      expect((await orderRow(id))!.status, `${from} → ${to}`).toBe(to);
      expect(after.order_events - before.order_events).toBe(1);
      expect(after.audit_log - before.audit_log).toBe(1);
    }
    const { rows } = await ctx.db.query<{ from_status: string; to_status: string; reason: string; actor: string }>(
      `SELECT from_status, to_status, reason, actor FROM order_events WHERE order_id = $1`,
      [`#SM${process.pid}-${n}`],
    );
    expect(rows).toEqual([{ from_status: legal.at(-1)![0], to_status: legal.at(-1)![1], reason: 'because', actor: 'person:U-ops' }]);
  });
});
