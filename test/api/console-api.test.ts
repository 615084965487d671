import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { loadConfig } from '../../src/config/config.js';
import { systemActor, type Actor } from '../../src/domain/actor.js';
import { holdOrder } from '../../src/domain/orders/hold-order.js';
import { transitionOrder } from '../../src/domain/orders/order-state-machine.js';
import { recordFailedJob } from '../../src/jobs/record-failed-job.js';
import { buildServer } from '../../src/server/build-server.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import { ALICE, BOB, seedAgentFixture } from '../support/agent-fixture.js';
import { LIST_ENDPOINTS } from '../support/list-endpoints.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' } as NodeJS.ProcessEnv);
const token = 'console-api-test-token-0123456789';
const ops: Actor = { kind: 'person', id: 'U_OPS' };

type ListBody = { items: { id: string | number; [k: string]: unknown }[]; next_cursor: string | null };

describeEachDb('console REST API', (ctx) => {
  let app: FastifyInstance;
  const approvalIds: string[] = [];

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const list = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ListBody>();
  };
  /** Every page of a list at `limit` per page, checking no item shows twice. */
  const walk = async (url: string, limit: number) => {
    const seen: (string | number)[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const body = await list(`${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items.map((i) => i.id));
      cursor = body.next_cursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    return seen;
  };
  /** Walking at several page sizes gives exactly the one-page list, in the same order. */
  const expectPagesCoverAll = async (url: string) => {
    const all = (await list(`${url}${url.includes('?') ? '&' : '?'}limit=200`)).items.map((i) => i.id);
    expect(all.length).toBeGreaterThan(2);
    for (const limit of [1, 2, 5]) expect(await walk(url, limit)).toEqual(all);
    return all;
  };
  const expectBadParam = async (url: string, path: string) => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
    expect(res.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toContain(path);
  };

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    await seedTestCatalog(ctx.db, 'p-console', [
      { sku: 'CON-TEE-01', price: '12.00', stock: { 'loc-east-wh': 4, 'loc-west-wh': 2 } },
      { sku: 'CON-MUG-02', price: '8.00', stock: { 'loc-east-wh': 1 } },
    ]);
    await holdOrder(ctx.db, { orderId: '#W1000004', reason: 'address mismatch' }, ops);
    await holdOrder(ctx.db, { orderId: '#W1000008', reason: 'risk review' }, ops);
    await transitionOrder(ctx.db, '#W1000003', { to: 'exception', actor: systemActor('carrier'), reason: 'parcel damaged' });
    for (const [rule, subject] of [
      ['order_risk', '#W1000004'],
      ['order_sla', '#W2000001'],
      ['order_sla', '#W1000005'],
      ['carrier_exception', '#W1000003'],
    ] as const) {
      await raiseFlag(
        ctx.db,
        { subjectType: 'order', subjectId: subject, rule, category: rule === 'order_risk' ? 'risk' : 'operations', severity: 'warning', score: 40, title: `${rule} ${subject}`, reasons: ['test'] },
        systemActor('test'),
      );
    }
    await ctx.db.query(`UPDATE anomaly_flags SET status = 'acknowledged' WHERE rule = 'carrier_exception'`);
    for (const n of [1, 2, 3]) await recordFailedJob(ctx.db, { queue: 'email-outbound', jobId: `job-${n}`, payload: { n }, error: `boom ${n}`, attempts: 3 });

    const approvals = createApprovalService({ db: ctx.db, config });
    const cancel = opsToolset().get('cancel_order')!;
    for (const [i, orderId] of ['#W1000001', '#W1000005', '#W2000001', '#W4000001'].entries()) {
      const requester = i === 3 ? ({ kind: 'api', id: 'api-token' } as Actor) : ops;
      const { approval } = await approvals.request({
        tool: cancel,
        args: { order_id: orderId, reason: 'no longer needed' },
        ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' },
        reason: 'cancelling needs approval',
        requester,
        verification: { verified: true, summary: 'test requester' },
        origin: { channel: 'slack', threadKey: `C1:${i}.0` },
      });
      approvalIds.push(approval.id);
    }

    app = buildServer({ db: ctx.db, config: { ...config, API_TOKEN: token } });
    await app.ready();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('GET /api/orders pages through every order once, newest first, with customer names and line SKUs', async () => {
    const all = await expectPagesCoverAll('/api/orders');
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(all).toHaveLength(rows[0]!.n);
    const first = (await list('/api/orders?q=W1000001')).items;
    expect(first).toEqual([
      expect.objectContaining({
        id: '#W1000001',
        customer_name: 'Alice Ng',
        lines: [expect.objectContaining({ sku: '1000000001', quantity: 1 }), expect.objectContaining({ sku: '2000000001' })],
      }),
    ]);
  });

  it('GET /api/orders filters by status, channel and q (id, email, name, SKU, tracking number)', async () => {
    const ids = async (query: string) => (await list(`/api/orders?${query}`)).items.map((i) => i.id).sort();
    expect(await ids('status=on_hold')).toEqual(['#W1000004', '#W1000008']);
    expect(await ids('channel=no-such-channel')).toEqual([]);
    expect(await ids('q=BOB.STONE%40example')).toEqual(['#W2000001', '#W2000002', '#W2000003']);
    expect(await ids('q=bob%20stone')).toEqual(['#W2000001', '#W2000002', '#W2000003']);
    expect((await list('/api/orders?q=alice&limit=200')).items.every((o) => o.customer_id === ALICE)).toBe(true);
    expect(await ids('q=2000000002')).toEqual(['#W1000003', '#W1000006', '#W3000001']);
    expect(await ids('q=trk1000002')).toEqual(['#W1000002']);
    expect(await ids('q=100%25')).toEqual([]);
    expect(await walk('/api/orders?q=alice', 2)).toHaveLength(9);
    const bob = (await list('/api/orders?q=bob&status=pending')).items;
    expect(bob.map((o) => [o.id, o.customer_id])).toEqual([['#W2000001', BOB]]);
  });

  it('refuses a bad limit, cursor or filter with 400 naming the parameter', async () => {
    for (const url of LIST_ENDPOINTS) {
      await expectBadParam(`${url}?limit=0`, 'limit');
      await expectBadParam(`${url}?limit=201`, 'limit');
      await expectBadParam(`${url}?limit=ten`, 'limit');
      await expectBadParam(`${url}?cursor=not-a-cursor`, 'cursor');
    }
    const flagCursor = (await list('/api/flags?limit=1')).next_cursor!;
    await expectBadParam(`/api/orders?cursor=${flagCursor}`, 'cursor');
    await expectBadParam('/api/orders?status=lost', 'status');
    await expectBadParam('/api/orders?q=', 'q');
    await expectBadParam('/api/approvals?status=maybe', 'status');
    await expectBadParam('/api/flags?status=closed', 'status');
    await expectBadParam('/api/inbox?kind=approval,nonsense', 'kind.1');
  });

  it('GET /api/approvals pages newest first and filters by status', async () => {
    const all = await expectPagesCoverAll('/api/approvals');
    expect([...all].sort()).toEqual([...approvalIds].sort());
    expect((await list('/api/approvals?status=pending')).items).toHaveLength(4);
    expect((await list('/api/approvals?status=executed')).items).toEqual([]);
  });

  it('GET /api/flags pages and filters by status and rule', async () => {
    await expectPagesCoverAll('/api/flags');
    expect((await list('/api/flags?rule=order_sla')).items.map((f) => f.subject_id).sort()).toEqual(['#W1000005', '#W2000001']);
    expect((await list('/api/flags?status=acknowledged')).items.map((f) => f.rule)).toEqual(['carrier_exception']);
    expect((await list('/api/flags?status=open&rule=order_risk')).items).toHaveLength(1);
  });

  it('GET /api/products pages and matches SKU or name ignoring case', async () => {
    await expectPagesCoverAll('/api/products');
    expect((await list('/api/products?q=con-tee')).items.map((p) => p.id)).toEqual(['p-console']);
    expect((await list('/api/products?q=DESK%20lamp')).items.map((p) => p.name)).toEqual(['Desk Lamp']);
    expect((await get('/api/products/con-mug-02')).json()).toMatchObject({ variant: { sku: 'CON-MUG-02' } });
  });

  it('GET /api/inventory pages by SKU and location; sku is case-insensitive', async () => {
    const all = (await list('/api/inventory?limit=200')).items;
    expect(all.length).toBeGreaterThan(2);
    const rowsOf = async (url: string, limit: number) => {
      const keys: string[] = [];
      let cursor: string | null = null;
      do {
        const body = await list(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        keys.push(...body.items.map((i) => `${i.sku}@${i.location_id}`));
        cursor = body.next_cursor;
      } while (cursor);
      return keys;
    };
    const everything = all.map((i) => `${i.sku}@${i.location_id}`);
    expect(new Set(everything).size).toBe(everything.length);
    for (const limit of [1, 3]) expect(await rowsOf('/api/inventory', limit)).toEqual(everything);
    const tee = (await list('/api/inventory?sku=con-tee-01')).items;
    expect(tee.map((i) => [i.sku, i.location_id, i.on_hand, i.available])).toEqual([
      ['CON-TEE-01', 'loc-east-wh', 4, 4],
      ['CON-TEE-01', 'loc-west-wh', 2, 2],
    ]);
    expect((await list('/api/inventory?location=loc-west-wh&sku=CON-TEE-01')).items).toHaveLength(1);
    expect((await get('/api/inventory/con-tee-01')).json()).toMatchObject({ inventory: { sku: 'CON-TEE-01', totals: { on_hand: 6 } } });
  });

  it('GET /api/jobs/failed pages the dead-letter list', async () => {
    expect(await expectPagesCoverAll('/api/jobs/failed')).toHaveLength(3);
  });

  it('GET /api/inbox lists what needs a person, oldest first, with its age', async () => {
    const all = await expectPagesCoverAll('/api/inbox');
    const items = (await list('/api/inbox?limit=200')).items as unknown as { id: string; kind: string; since: string; age_seconds: number; customer_name: string | null }[];
    expect(all).toEqual(items.map((i) => i.id));
    const since = items.map((i) => Date.parse(i.since));
    expect(since).toEqual([...since].sort((a, b) => a - b));
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['approval', 'held_order', 'exception', 'sla_breach', 'flag', 'failed_job']));
    expect(items.filter((i) => i.kind === 'sla_breach')).toHaveLength(2);
    expect(items.every((i) => i.age_seconds >= 0)).toBe(true);
    expect(items.find((i) => i.id === 'held_order:#W1000004')).toMatchObject({ customer_name: 'Alice Ng' });
    expect((await list('/api/inbox?kind=failed_job,held_order')).items).toHaveLength(5);
  });

  it('POST /api/approvals/:id/decision approves once through the approval service, with an audit row naming the caller', async () => {
    const id = approvalIds[0]!;
    const post = (approval: string, body: unknown) =>
      app.inject({ method: 'POST', url: `/api/approvals/${approval}/decision`, headers: { authorization: `Bearer ${token}` }, payload: body as object });

    const bad = await post(id, { decision: 'maybe', reason: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['decision']);
    const noReason = await post(id, { decision: 'approve' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['reason']);
    expect((await post('apr_unknown', { decision: 'approve', reason: 'ok' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/approvals/${id}/decision`, payload: { decision: 'approve', reason: 'ok' } })).statusCode).toBe(401);

    const first = await post(id, { decision: 'approve', reason: 'customer asked twice' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'executed', approval: { id, status: 'executed', decided_by: 'api-token', decision_reason: 'customer asked twice' } });
    const again = await post(id, { decision: 'approve', reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'already_decided', approval: { status: 'executed' } });
    expect((await post(id, { decision: 'reject', reason: 'too late' })).statusCode).toBe(409);

    const order = (await get('/api/orders/W1000001')).json<{ order: { status: string; lines: { sku: string }[] } }>().order;
    expect(order.status).toBe('cancelled');
    expect(order.lines.map((l) => l.sku)).toEqual(['1000000001', '2000000001']);
    const events = await ctx.db.query(`SELECT 1 FROM order_events WHERE order_id = '#W1000001' AND to_status = 'cancelled'`);
    expect(events.rows).toHaveLength(1);
    const audit = await ctx.db.query<{ actor_kind: string; actor_id: string; action: string; data: { reason: string } }>(
      `SELECT actor_kind, actor_id, action, data FROM audit_log WHERE entity_type = 'approval' AND entity_id = $1`,
      [id],
    );
    expect(audit.rows).toEqual([expect.objectContaining({ actor_kind: 'api', actor_id: 'api-token', action: 'approval.executed', data: expect.objectContaining({ reason: 'customer asked twice' }) })]);
    expect((await list('/api/inbox?kind=approval')).items.map((i) => i.ref)).not.toContain(id);
  });

  it('rejects with the reason kept, and refuses a decision by the approval\'s own requester', async () => {
    const reject = await app.inject({
      method: 'POST',
      url: `/api/approvals/${approvalIds[1]}/decision`,
      headers: { authorization: `Bearer ${token}` },
      payload: { decision: 'reject', reason: 'order is fine' },
    });
    expect(reject.statusCode).toBe(200);
    expect(reject.json()).toMatchObject({ status: 'rejected', result: null, approval: { decision_reason: 'order is fine' } });
    expect((await get('/api/orders/W1000005')).json<{ order: { status: string } }>().order.status).toBe('pending');

    const own = await app.inject({
      method: 'POST',
      url: `/api/approvals/${approvalIds[3]}/decision`,
      headers: { authorization: `Bearer ${token}` },
      payload: { decision: 'approve', reason: 'mine' },
    });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'self_approval' });
    expect((await get(`/api/approvals/${approvalIds[3]}`)).json()).toMatchObject({ approval: { status: 'pending' } });
  });
});
