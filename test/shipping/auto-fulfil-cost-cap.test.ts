import { afterAll, beforeAll, expect, it } from 'vitest';
import { listFlags } from '../../src/anomaly/flags/list-flags.js';
import { MemorySandboxLabelStore } from '../../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { loadOrder } from '../../src/domain/orders/order-repository.js';
import { APP_EXTENSIONS } from '../../src/server/app-extensions.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { testAppConfig } from '../support/test-app-config.js';
import { describeEachDb } from '../support/test-db.js';

// Automatic fulfilment buys labels with nobody looking: above LABEL_APPROVAL_AMOUNT it buys
// nothing and leaves the order to a person, with an open flag saying why.
describeEachDb('automatic fulfilment cost cap', (ctx) => {
  let running: RunningApp;
  const store = new MemorySandboxLabelStore();

  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-cap', [{ sku: 'CAP-TEE', price: '30.00', stock: { 'loc-east-wh': 5 } }]);
    await seedShippingLocations(ctx.db);
    const config = testAppConfig('cap', { LABEL_APPROVAL_AMOUNT: '0.50' });
    running = await startApp(config, { db: ctx.db, extensions: APP_EXTENSIONS, carriers: [new SandboxCarrier({ store })], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('leaves an order whose labels cost more than LABEL_APPROVAL_AMOUNT unlabelled and flagged', async () => {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `cap-${ctx.backend}`,
        customer: { email: 'cap.buyer@example.com', first_name: 'Cap', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'CAP-TEE', quantity: 1 }],
        payment: { method: 'card' },
      },
      { kind: 'api', id: 'test' },
    );
    const until = Date.now() + 20_000;
    let flags = await listFlags(ctx.db, { subjectType: 'order', subjectId: order.id });
    while (!flags.some((f) => f.rule === 'label_over_auto_limit') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      flags = await listFlags(ctx.db, { subjectType: 'order', subjectId: order.id });
    }
    const flag = flags.find((f) => f.rule === 'label_over_auto_limit');
    expect(flag?.title).toMatch(/above the LABEL_APPROVAL_AMOUNT limit 0\.50/);
    expect(await store.all()).toEqual([]);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('pending');
  });
});
