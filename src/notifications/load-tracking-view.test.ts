import { beforeAll, expect, it } from 'vitest';
import { seedAgentFixture } from '../../test/support/agent-fixture.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { loadTrackingView } from './load-tracking-view.js';

describeEachDb('loadTrackingView', (ctx) => {
  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
  });

  it("names an imported order's parcel items by its item ids, and nothing but the first name of its customer", async () => {
    const view = (await loadTrackingView(ctx.db, '#W2000002'))!;
    expect(view).toMatchObject({ orderId: '#W2000002', orderNumber: '#W2000002', firstName: 'Bob', orderStatus: 'delivered', unshippedItems: [] });
    expect(view.shipments).toHaveLength(1);
    expect(view.shipments[0]).toMatchObject({ number: 1, trackingNumber: 'TRK2000002', events: [] });
    expect(view.shipments[0]!.items).toEqual([
      { name: 'Desk Lamp', options: 'black / high', quantity: 1 },
      { name: 'T-Shirt', options: 'M / blue', quantity: 1 },
    ]);
    const all = JSON.stringify(view);
    for (const secret of ['Stone', 'Oak Avenue', 'Denver', '80202', 'bob.stone@example.com', '80.00', 'credit_card']) expect(all).not.toContain(secret);
  });

  it('lists the lines of an order not shipped yet as unshipped', async () => {
    const view = (await loadTrackingView(ctx.db, '#W1000001'))!;
    expect(view.shipments).toEqual([]);
    expect(view.unshippedItems.map((i) => i.name)).toEqual(['T-Shirt', 'Desk Lamp']);
  });

  it('is null for an order that does not exist', async () => {
    expect(await loadTrackingView(ctx.db, '#W9999999')).toBeNull();
  });
});
