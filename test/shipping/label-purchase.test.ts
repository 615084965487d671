import { afterAll, beforeAll, expect, it } from 'vitest';
import { EasyPostCarrier } from '../../src/connectors/carriers/easypost-carrier.js';
import type { Actor } from '../../src/domain/actor.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { fulfilOrder } from '../../src/domain/shipping/fulfil-order.js';
import { voidLabel } from '../../src/domain/shipping/void-label.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const actor: Actor = { kind: 'api', id: 'test' };
const API_KEY = 'EZTKlabels';

// Label purchase against EasyPost's wire format, with the guards that must hold across processes:
// each process has its own adapter (and so its own in-memory single flight).
describeEachDb('label purchase across processes', (ctx) => {
  const server = new EasyPostWireServer(API_KEY);
  let url = '';
  let n = 0;
  const carrier = () => new EasyPostCarrier({ apiKey: API_KEY, apiUrl: url, timeoutMs: 5_000 });

  beforeAll(async () => {
    url = await server.start();
    await seedTestCatalog(ctx.db, 'p-lbl', [{ sku: 'LBL-TEE', price: '20.00', stock: { 'loc-east-wh': 50 } }]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 300, length_mm = 300, width_mm = 200, height_mm = 30 WHERE id = 'v-LBL-TEE'`);
    await seedShippingLocations(ctx.db);
  });
  afterAll(async () => {
    await server.stop();
  });

  async function placeOrder() {
    const { order } = await createOrder(
      ctx.db,
      {
        channel: 'api',
        external_id: `lbl-${++n}`,
        customer: { email: 'lbl.buyer@example.com', first_name: 'Lbl', last_name: 'Buyer' },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: 'LBL-TEE', quantity: 1 }],
        payment: { method: 'card' },
      },
      actor,
    );
    return order;
  }

  it('two processes fulfilling one order at once buy one label between them', async () => {
    const orders = [await placeOrder(), await placeOrder(), await placeOrder()];
    const before = server.purchases;
    const results = await Promise.all(
      orders.map((o) => Promise.all([fulfilOrder(ctx.db, [carrier()], o.id, actor), fulfilOrder(ctx.db, [carrier()], o.id, actor)])),
    );
    expect(server.purchases).toBe(before + orders.length);
    for (const [a, b] of results) {
      expect(a.labelsBought + b.labelsBought).toBe(1);
      expect(a.shipments[0]!.trackingNumber).toBeTruthy();
      expect(a.shipments.map((s) => s.trackingNumber)).toEqual(b.shipments.map((s) => s.trackingNumber));
    }
  });

  it('a void retried after the carrier refunded but the record was lost completes the void', async () => {
    const order = await placeOrder();
    const [shipment] = (await fulfilOrder(ctx.db, [carrier()], order.id, actor)).shipments;
    // The first attempt reached EasyPost; the process died before writing anything.
    await carrier().voidLabel({ labelId: shipment!.labelId!, trackingNumber: shipment!.trackingNumber! });
    const retried = await voidLabel(ctx.db, [carrier()], shipment!.id, actor, { reason: 'retry' });
    expect(retried.shipment.status).toBe('voided');
  });
});
