import { expect, it } from 'vitest';
import { expectRefusedUnchanged, seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import type { Actor } from '../actor.js';
import { auditTrail } from '../audit/audit-log.js';
import { loadOrder } from '../orders/order-repository.js';
import { modifyCustomerAddress } from './modify-customer-address.js';

const actor: Actor = { kind: 'agent', id: 'test' };
const to = { address1: '77 Lake Shore', address2: 'Floor 3', city: 'Chicago', state: 'IL', country: 'USA', zip: '60601' };

describeEachDb('modifyCustomerAddress', (ctx) => {
  it('changes the default address and leaves existing orders alone', async () => {
    const f = await seedTauFixture(ctx.db);
    const orderBefore = await loadOrder(ctx.db, f.pendingCard);
    const user = await modifyCustomerAddress(ctx.db, { customerId: f.ana, ...to }, actor);
    expect(user.address).toEqual({ ...to });
    expect((await loadOrder(ctx.db, f.pendingCard))!.address).toEqual(orderBefore!.address);
    expect((await auditTrail(ctx.db, 'customer', f.ana)).map((a) => a.action)).toEqual(['customer.address_changed']);
  });

  it('refuses an unknown customer', async () => {
    const f = await seedTauFixture(ctx.db);
    await expectRefusedUnchanged(ctx.db, () => modifyCustomerAddress(ctx.db, { customerId: 'nobody_1', ...to }, actor), 'user not found', {
      orderId: f.pendingCard,
      customerId: f.ana,
    });
  });
});
