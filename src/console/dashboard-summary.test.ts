import { beforeAll, expect, it } from 'vitest';
import { seedAgentFixture } from '../../test/support/agent-fixture.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { raiseFlag } from '../anomaly/flags/raise-flag.js';
import { systemActor } from '../domain/actor.js';
import { holdOrder } from '../domain/orders/hold-order.js';
import { dashboardSummary } from './dashboard-summary.js';

describeEachDb('dashboardSummary', (ctx) => {
  const held = ['#W1000001', '#W1000004', '#W1000005'];

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    for (const [i, orderId] of held.entries()) {
      await holdOrder(ctx.db, { orderId, reason: `check ${i}` }, systemActor('test'));
      // Distinct hold times so "longest waiting first" is observable.
      await ctx.db.query(`UPDATE orders SET status_changed_at = now() - make_interval(hours => $2) WHERE id = $1`, [orderId, 10 - i]);
    }
    for (let i = 0; i < 3; i++) {
      await raiseFlag(
        ctx.db,
        { subjectType: 'order', subjectId: `#W200000${i + 1}`, rule: 'order_sla', category: 'operations', severity: 'info', score: 1, title: 't', reasons: [] },
        systemActor('test'),
      );
    }
  });

  it('caps every list at the limit but reports the whole count, oldest hold first', async () => {
    const s = await dashboardSummary(ctx.db, { limit: 2 });
    expect(s.heldOrders.total).toBe(3);
    expect(s.heldOrders.items.map((o) => o.id)).toEqual(held.slice(0, 2));
    expect(s.heldOrders.items[0]!.holdReason).toBe('check 0');
    expect(s.flags.operations).toMatchObject({ total: 3, totalIsLowerBound: false });
    expect(s.flags.operations.items).toHaveLength(2);
    expect(s.flags.risk).toEqual({ total: 0, totalIsLowerBound: false, items: [] });
    expect(s.pendingApprovals).toEqual({ total: 0, totalIsLowerBound: false, items: [] });
    expect(s.exceptionOrders.total).toBe(0);
    expect(s.ordersByStatus.on_hold).toBe(3);
  });
});
