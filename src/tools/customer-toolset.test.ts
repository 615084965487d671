import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { ALICE, ALICE_CARD, BOB, BOB_CARD, BOB_GIFT, seedAgentFixture } from '../../test/support/agent-fixture.js';
import { loadConfig } from '../config/config.js';
import type { Db } from '../db/db.js';
import { isDomainError } from '../domain/domain-error.js';
import { z } from 'zod';
import { OPS_TOOLS } from './all-tools.js';
import { customerToolset } from './customer-toolset.js';
import { defineTool, type ToolContext } from './tool.js';

const config = loadConfig({} as NodeJS.ProcessEnv);
const address = { address1: '5 New Road', address2: '', city: 'Reno', state: 'NV', country: 'USA', zip: '89501' };

/** Calls that name Bob's records, made in a conversation bound to Alice. */
const FOREIGN_CALLS: { tool: string; input: Record<string, unknown> }[] = [
  { tool: 'find_customer', input: { email: 'bob.stone@example.com' } },
  { tool: 'find_customer', input: { first_name: 'Bob', last_name: 'Stone', zip: '80202' } },
  { tool: 'get_customer_details', input: { customer_id: BOB } },
  { tool: 'get_order_details', input: { order_id: '#W2000001' } },
  { tool: 'cancel_order', input: { order_id: '#W2000001', reason: 'no longer needed' } },
  { tool: 'modify_order_address', input: { order_id: '#W2000001', ...address } },
  { tool: 'modify_order_items', input: { order_id: '#W2000001', item_ids: ['1000000002'], new_item_ids: ['1000000001'], payment_method_id: BOB_CARD } },
  { tool: 'modify_order_payment', input: { order_id: '#W2000001', payment_method_id: BOB_GIFT } },
  // Alice's own order, paid with Bob's card: refused for the payment method.
  { tool: 'modify_order_payment', input: { order_id: '#W1000001', payment_method_id: BOB_GIFT } },
  { tool: 'modify_customer_address', input: { customer_id: BOB, ...address } },
  { tool: 'return_order_items', input: { order_id: '#W2000002', item_ids: ['2000000001'], payment_method_id: BOB_CARD } },
  { tool: 'return_order_items', input: { order_id: '#W1000002', item_ids: ['1000000001'], payment_method_id: BOB_GIFT } },
  { tool: 'exchange_order_items', input: { order_id: '#W2000002', item_ids: ['1000000001'], new_item_ids: ['1000000002'], payment_method_id: BOB_CARD } },
];

async function snapshot(db: Db): Promise<string> {
  const parts = await Promise.all([
    db.query(`SELECT id, status, address1, cancel_reason, return_items FROM orders ORDER BY id`),
    db.query(`SELECT id, address1 FROM customers ORDER BY id`),
    db.query(`SELECT id, balance::text FROM payment_methods ORDER BY id`),
    db.query(`SELECT count(*)::int AS n FROM payments`),
  ]);
  return JSON.stringify(parts.map((p) => p.rows));
}

describeEachDb('customer toolset', (ctx) => {
  const toolset = customerToolset(ALICE);
  const toolCtx = (): ToolContext => ({ db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: ALICE }, persona: 'customer', customerId: ALICE });

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
  });

  for (const call of FOREIGN_CALLS) {
    it(`${call.tool} refuses another customer's records (${JSON.stringify(call.input).slice(0, 60)})`, async () => {
      const before = await snapshot(ctx.db);
      const tool = toolset.get(call.tool)!;
      const error = await tool.run(tool.input.parse(call.input), toolCtx()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDomainError(error)).toBe(true);
      expect((error as Error).message).toMatch(/not on your account|user not found/);
      expect(await snapshot(ctx.db)).toBe(before);
    });
  }

  it('search_orders lists only the bound customer, whatever customer_id is asked for', async () => {
    const tool = toolset.get('search_orders')!;
    const result = (await tool.run(tool.input.parse({ customer_id: BOB }), toolCtx())) as { orders: { customer_id: string }[] };
    expect(result.orders.length).toBeGreaterThan(0);
    expect(new Set(result.orders.map((o) => o.customer_id))).toEqual(new Set([ALICE]));
  });

  it("still serves the customer's own records", async () => {
    const order = toolset.get('get_order_details')!;
    const own = (await order.run(order.input.parse({ order_id: 'W1000003' }), toolCtx())) as { user_id: string };
    expect(own.user_id).toBe(ALICE);
    const find = toolset.get('find_customer')!;
    expect(await find.run(find.input.parse({ email: 'ALICE.NG@example.com' }), toolCtx())).toEqual({ customer_id: ALICE });
    const pay = toolset.get('get_customer_details')!;
    const details = (await pay.run({ customer_id: ALICE }, toolCtx())) as { payment_methods: Record<string, unknown> };
    expect(Object.keys(details.payment_methods)).toContain(ALICE_CARD);
  });

  it('offers no staff-only tools', () => {
    for (const name of ['hold_order', 'release_order', 'refund_order']) expect(toolset.get(name)).toBeUndefined();
  });

  it('checks ownership before a pure preview and a policy check too, not only before run', async () => {
    const seen: string[] = [];
    // A tool whose effect reaches outside the database, so its approval is previewed without running it.
    const outside = defineTool({
      name: 'cancel_order',
      description: 'test tool',
      tier: 'write',
      input: z.object({ order_id: z.string() }),
      async run(args) {
        seen.push(`run ${args.order_id}`);
        return {};
      },
      async preview(args) {
        seen.push(`preview ${args.order_id}`);
        return { summary: `cancel ${args.order_id}`, changes: [] };
      },
      policy: {
        async lock() {},
        async check(args) {
          seen.push(`check ${args.order_id}`);
          return null;
        },
      },
    });
    const bound = customerToolset(ALICE, [outside, ...OPS_TOOLS.filter((t) => t.name !== 'cancel_order')]).get('cancel_order')!;
    const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    const foreign = { order_id: '#W2000001' };
    expect((await refusal(bound.preview!(foreign, toolCtx())) as Error)?.message).toMatch(/not on your account/);
    expect((await refusal(bound.policy!.check(foreign, toolCtx(), async () => [])) as Error)?.message).toMatch(/not on your account/);
    expect(seen).toEqual([]);

    const own = { order_id: '#W1000001' };
    expect(await bound.preview!(own, toolCtx())).toEqual({ summary: 'cancel #W1000001', changes: [] });
    expect(await bound.policy!.check(own, toolCtx(), async () => [])).toBeNull();
    expect(seen).toEqual(['preview #W1000001', 'check #W1000001']);
  });
});
