import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApprovalService, type ApprovalService } from '../../src/agent/approval-service.js';
import { executeToolCall } from '../../src/agent/tool-executor.js';
import { loadConfig } from '../../src/config/config.js';
import { loadOrder } from '../../src/domain/orders/order-repository.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { listOrderShipments } from '../../src/domain/shipping/shipment-repository.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import type { ToolContext } from '../../src/tools/tool.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const requester = { kind: 'person' as const, id: 'U_REQUESTER' };
const approver = { kind: 'person' as const, id: 'U_APPROVER' };
const second = { kind: 'person' as const, id: 'U_SECOND' };

const server = new EasyPostWireServer('EZTKapproval');
let url = '';
beforeAll(async () => {
  url = await server.start();
});
afterAll(() => server.stop());

// The label tools call a carrier: their approval preview must be a quote, never a dry run.
describeEachDb('label tools behind approval', (ctx) => {
  let approvals: ApprovalService;
  let config: ReturnType<typeof loadConfig>;
  const toolset = opsToolset();
  const ask = (tool: string, input: Record<string, unknown>, thread: string) => {
    const toolCtx: ToolContext = { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' };
    return executeToolCall(
      { toolset, ctx: toolCtx, approvals, requester, verification: { verified: true, summary: 'Slack user U_REQUESTER (signed request)' }, origin: { channel: 'slack', threadKey: thread } },
      { id: 'toolu_1', name: tool, input },
    );
  };
  let orderId = '';
  const placeOrder = async (externalId: string) =>
    (
      await createOrder(
        ctx.db,
        {
          channel: 'api',
          external_id: externalId,
          customer: { email: 'lab.buyer@example.com', first_name: 'Lab', last_name: 'Buyer' },
          shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
          lines: [{ sku: 'LAB-TEE', quantity: 1 }],
          payment: { method: 'card' },
        },
        { kind: 'api', id: 'test' },
      )
    ).order;

  beforeAll(async () => {
    config = loadConfig({
      APPROVERS: 'U_APPROVER,U_SECOND',
      CARRIERS: 'easypost',
      EASYPOST_API_KEY: 'EZTKapproval',
      EASYPOST_API_URL: url,
      LABEL_APPROVAL_AMOUNT: '1',
    } as NodeJS.ProcessEnv);
    approvals = createApprovalService({ db: ctx.db, config });
    await seedTestCatalog(ctx.db, 'p-lab', [{ sku: 'LAB-TEE', price: '20.00', stock: { 'loc-east-wh': 5 } }]);
    await ctx.db.query(`UPDATE variants SET weight_grams = 400, length_mm = 300, width_mm = 200, height_mm = 40 WHERE id = 'v-LAB-TEE'`);
    await seedShippingLocations(ctx.db);
    orderId = (await placeOrder(`lab-${ctx.backend}`)).id;
  });

  it('buy_label over the amount waits with the quote as its preview: the carrier sells nothing until approved, then once', async () => {
    const before = server.purchases;
    const asked = await ask('buy_label', { order_id: orderId }, 't-buy');
    expect(asked.isError).toBe(false);
    expect(asked.approval?.status).toBe('pending');
    expect(asked.approval!.preview.summary).toMatch(/buy 1 label\(s\) for order .* in all/);
    expect(asked.approval!.preview.money[0]).toMatchObject({ direction: 'charge' });
    expect(asked.approval!.preview.money[0]!.amount).toBeGreaterThan(1);
    expect(server.purchases).toBe(before);
    expect(await listOrderShipments(ctx.db, orderId)).toEqual([]);

    const [a, b] = await Promise.all([
      approvals.decideApproval({ id: asked.approval!.id, decision: 'approve', decider: approver }),
      approvals.decideApproval({ id: asked.approval!.id, decision: 'approve', decider: second }),
    ]);
    expect([a, b].filter((x) => !x.alreadyDecided)).toHaveLength(1);
    expect(a.status).toBe('executed');
    expect(server.purchases).toBe(before + 1);
    const shipments = await listOrderShipments(ctx.db, orderId);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({ carrierAccount: 'easypost', status: 'pre_transit' });
    expect((await loadOrder(ctx.db, orderId))!.status).toBe('processed');

    // Asked again, there is nothing left to buy: it runs at once and buys nothing.
    const again = await ask('buy_label', { order_id: orderId }, 't-buy-2');
    expect(again.approval).toBeUndefined();
    expect(JSON.parse(again.content).labels_bought).toBe(0);
    expect(server.purchases).toBe(before + 1);
  });

  it('buy_label approved at one price refuses to buy when the carrier asks more by the time it runs', async () => {
    const order = await placeOrder(`lab-price-${ctx.backend}`);
    const before = server.purchases;
    const asked = await ask('buy_label', { order_id: order.id }, 't-buy-price');
    expect(asked.approval?.status).toBe('pending');
    const quoted = asked.approval!.preview.money[0]!.amount;
    server.surchargeCents = 500;
    try {
      const decided = await approvals.decideApproval({ id: asked.approval!.id, decision: 'approve', decider: approver });
      expect(decided.status).toBe('failed');
      expect(JSON.stringify(decided)).toMatch(new RegExp(`${(quoted + 5).toFixed(2)}.*above the approved quote ${quoted.toFixed(2)}`));
    } finally {
      server.surchargeCents = 0;
    }
    expect(server.purchases).toBe(before);
    expect((await listOrderShipments(ctx.db, order.id)).every((s) => !s.labelPurchasedAt)).toBe(true);
    expect((await loadOrder(ctx.db, order.id))!.status).toBe('pending');
  });

  it('void_label previews without calling the carrier and voids once on approval', async () => {
    const [s] = await listOrderShipments(ctx.db, orderId);
    const asked = await ask('void_label', { order_id: orderId, shipment_id: s!.id, reason: 'wrong service' }, 't-void');
    expect(asked.approval?.status).toBe('pending');
    expect(asked.approval!.preview.changes).toEqual([{ field: `shipment ${s!.id} status`, before: 'pre_transit', after: 'voided' }]);
    expect((await listOrderShipments(ctx.db, orderId))[0]!.status).toBe('pre_transit');
    expect(server.shipments.find((x) => x.tracking_code === s!.trackingNumber)?.refund_status ?? null).toBeNull();

    const decided = await approvals.decideApproval({ id: asked.approval!.id, decision: 'approve', decider: approver });
    expect(decided.status).toBe('executed');
    expect((await listOrderShipments(ctx.db, orderId))[0]!.status).toBe('voided');
    const refused = await ask('void_label', { order_id: orderId, shipment_id: s!.id, reason: 'again' }, 't-void-2');
    expect(refused.isError).toBe(true);
    expect(refused.content).toMatch(/already voided/);
  });

  it('get_tracking and quote_rates read without buying', async () => {
    const before = server.purchases;
    const tracking = JSON.parse((await ask('get_tracking', { order_id: orderId }, 't-read')).content);
    expect(tracking.shipments[0]).toMatchObject({ status: 'voided', carrier: expect.any(String) });
    const quote = JSON.parse((await ask('quote_rates', { order_id: orderId }, 't-read')).content);
    expect(quote.parts).toHaveLength(1);
    expect(quote.parts[0].would_buy.account).toBe('easypost');
    expect(server.purchases).toBe(before);
  });
});
