import { expect, it } from 'vitest';
import { expectRefusedUnchanged, seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { auditTrail } from '../audit/audit-log.js';
import { getCustomerDetails } from '../customers/customer-repository.js';
import { modifyPendingOrderAddress } from './modify-pending-order-address.js';
import { modifyPendingOrderItems } from './modify-pending-order-items.js';

const actor: Actor = { kind: 'person', id: 'U123' };
const newAddress = { address1: '5 Pine Court', address2: '', city: 'Austin', state: 'TX', country: 'USA', zip: '73301' };

describeEachDb('modifyPendingOrderAddress', (ctx) => {
  it('changes the shipping address of a pending order only', async () => {
    const f = await seedTauFixture(ctx.db);
    const before = await getCustomerDetails(ctx.db, f.ana);
    const order = await modifyPendingOrderAddress(ctx.db, { orderId: f.pendingCard, ...newAddress }, actor);
    expect(order.address).toEqual(newAddress);
    expect(order.status).toBe('pending');
    expect(await getCustomerDetails(ctx.db, f.ana)).toEqual(before);
    const trail = await auditTrail(ctx.db, 'order', f.pendingCard);
    expect(trail.map((a) => a.action)).toEqual(['order.address_changed']);
    expect(trail[0]!.data.to).toEqual(newAddress);
  });

  it('refuses an unknown order', async () => {
    const f = await seedTauFixture(ctx.db);
    await expectRefusedUnchanged(ctx.db, () => modifyPendingOrderAddress(ctx.db, { orderId: 'W123', ...newAddress }, actor), 'order not found', {
      orderId: f.pendingCard,
      customerId: f.ana,
    });
  });

  it('refuses processed orders and orders whose items were modified', async () => {
    const f = await seedTauFixture(ctx.db);
    await expectRefusedUnchanged(
      ctx.db,
      () => modifyPendingOrderAddress(ctx.db, { orderId: f.processed, ...newAddress }, actor),
      'non-pending order cannot be modified',
      { orderId: f.processed, customerId: f.ana },
    );
    await modifyPendingOrderItems(ctx.db, { orderId: f.pendingCard, itemIds: [f.L1], newItemIds: [f.L2], paymentMethodId: f.cardA }, actor);
    await expectRefusedUnchanged(
      ctx.db,
      () => modifyPendingOrderAddress(ctx.db, { orderId: f.pendingCard, ...newAddress }, actor),
      'non-pending order cannot be modified',
      { orderId: f.pendingCard, customerId: f.ana },
    );
  });
});
