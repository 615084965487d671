import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { queueNotificationMessage } from '../../src/notifications/queue-notification-message.js';
import { buildServer } from '../../src/server/build-server.js';
import { notificationRoutes } from '../../src/server/routes/notification-routes.js';
import { ALICE, seedAgentFixture } from '../support/agent-fixture.js';
import { describeEachDb } from '../support/test-db.js';

const TOKEN = 'notify-test-token';
const TEMPLATES = new Set(['shipped', 'delayed-first-time', 'delayed-repeat']);

const workflow = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  name: 'Shipped',
  trigger: 'shipment.shipped',
  steps: [
    { wait: '2h' },
    {
      if: { field: 'customer.order_count', gt: 1 },
      then: [{ send: { template: 'delayed-repeat' } }],
      else: [{ send: { template: 'delayed-first-time', channel: 'sms' } }],
    },
  ],
  ...over,
});

describeEachDb('notifications API', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    app = buildServer({
      db: ctx.db,
      config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', API_TOKEN: TOKEN } as NodeJS.ProcessEnv),
      routes: [notificationRoutes({ hasTemplate: (name) => TEMPLATES.has(name) })],
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, body?: unknown, token: string | null = TOKEN) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const queue = (orderId: string, key: string, over: Record<string, unknown> = {}) =>
    queueNotificationMessage(ctx.db, {
      runId: null,
      workflowId: 'order-shipped',
      template: 'shipped',
      category: 'transactional',
      customerId: ALICE,
      orderId,
      channel: 'email',
      recipient: 'alice.ng@example.com',
      subject: `Order ${orderId} shipped`,
      bodyText: 'On its way.',
      bodyHtml: null,
      idempotencyKey: key,
      ...over,
    });

  it('refuses every route without the token, and with a wrong one', async () => {
    const routes: [Parameters<typeof call>[0], string][] = [
      ['GET', '/api/notifications/workflows'],
      ['GET', '/api/notifications/workflows/x'],
      ['PUT', '/api/notifications/workflows/x'],
      ['POST', '/api/notifications/workflows/x/pause'],
      ['POST', '/api/notifications/workflows/x/resume'],
      ['GET', '/api/orders/%23W1000001/notifications'],
      ['POST', '/api/notifications/messages/1/resend'],
      ['GET', `/api/customers/${ALICE}/notification-preferences`],
      ['PATCH', `/api/customers/${ALICE}/notification-preferences`],
    ];
    for (const [method, url] of routes) {
      expect((await call(method, url, method === 'GET' ? undefined : {}, null)).statusCode, `${method} ${url}`).toBe(401);
      expect((await call(method, url, method === 'GET' ? undefined : {}, 'wrong')).statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('PUT creates (201) and replaces (200) a workflow; GET lists and reads it', async () => {
    const created = await call('PUT', '/api/notifications/workflows/delay-check', workflow('delay-check'));
    expect(created.statusCode).toBe(201);
    expect(created.json().workflow).toMatchObject({ id: 'delay-check', source: 'api', paused: false, workflow: { enabled: true, channel: 'preferred' } });
    const replaced = await call('PUT', '/api/notifications/workflows/delay-check', workflow('delay-check', { name: 'Delay check' }));
    expect(replaced.statusCode).toBe(200);
    expect((await call('GET', '/api/notifications/workflows/delay-check')).json().workflow.workflow.name).toBe('Delay check');
    expect((await call('GET', '/api/notifications/workflows')).json().workflows.map((w: { id: string }) => w.id)).toContain('delay-check');
  });

  it('a bad workflow is 400 naming the field, and nothing is saved', async () => {
    const cases: [unknown, string][] = [
      [workflow('bad-1', { trigger: 'order.teleported' }), 'trigger'],
      [workflow('bad-2', { steps: [{ wait: 'soon' }] }), 'steps.0'],
      [workflow('bad-3', { extra: true }), '(body)'],
      [workflow('other-id'), 'id'],
      [workflow('bad-4', { steps: [{ if: { field: 'shipment.status', equals: 'delayed' }, then: [{ send: { template: 'no-such-template' } }] }] }), 'steps.0.then.0.send.template'],
    ];
    for (const [body, field] of cases) {
      const id = (body as { id: string }).id === 'other-id' ? 'bad-0' : (body as { id: string }).id;
      const res = await call('PUT', `/api/notifications/workflows/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().issues.map((i: { path: string }) => i.path).join(' ')).toContain(field);
      expect((await call('GET', `/api/notifications/workflows/${id}`)).statusCode).toBe(404);
    }
    expect((await call('PUT', '/api/notifications/workflows/bad-5', workflow('bad-5', { steps: [{ send: { template: 'nope' } }] }))).json().issues).toEqual([
      { path: 'steps.0.send.template', message: 'no template named nope' },
    ]);
  });

  it('pauses with a reason and resumes; unknown ids are 404', async () => {
    await call('PUT', '/api/notifications/workflows/pausable', workflow('pausable'));
    const noReason = await call('POST', '/api/notifications/workflows/pausable/pause', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues[0].path).toBe('reason');

    const paused = await call('POST', '/api/notifications/workflows/pausable/pause', { reason: 'carrier outage' });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().workflow).toMatchObject({ paused: true, paused_reason: 'carrier outage', paused_by: 'api:notifications' });
    const resumed = await call('POST', '/api/notifications/workflows/pausable/resume', {});
    expect(resumed.json()).toMatchObject({ workflow: { paused: false, paused_reason: '' }, released_messages: 0 });
    const { rows } = await ctx.db.query(`SELECT action FROM audit_log WHERE entity_id = 'pausable' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['notification_workflow.saved', 'notification_workflow.paused', 'notification_workflow.resumed']);

    expect((await call('GET', '/api/notifications/workflows/nope')).statusCode).toBe(404);
    expect((await call('POST', '/api/notifications/workflows/nope/pause', { reason: 'x' })).statusCode).toBe(404);
    expect((await call('POST', '/api/notifications/workflows/nope/resume', {})).statusCode).toBe(404);
  });

  it("lists an order's notifications with the recipient masked; resends a sent one and refuses what consent refuses", async () => {
    const sent = await queue('#W1000006', `routes-${ctx.backend}-1`);
    await ctx.db.query(`UPDATE notification_messages SET status = 'sent', sent_at = now() WHERE id = $1`, [sent.id]);
    const text = await queue('#W1000006', `routes-${ctx.backend}-2`, { channel: 'sms', recipient: '+15551234567' });
    await ctx.db.query(`UPDATE notification_messages SET status = 'suppressed', error = 'the customer replied STOP to our texts' WHERE id = $1`, [text.id]);
    await ctx.db.query(`INSERT INTO notification_preferences (customer_id, sms_stopped_at) VALUES ($1, now())`, [ALICE]);

    const listed = await call('GET', '/api/orders/W1000006/notifications');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().order_id).toBe('#W1000006');
    expect(listed.json().notifications).toMatchObject([
      { id: sent.id, channel: 'email', recipient: 'a***@example.com', status: 'sent', resend_of: null },
      { id: text.id, channel: 'sms', recipient: '+1******4567', status: 'suppressed', error: 'the customer replied STOP to our texts' },
    ]);
    expect(JSON.stringify(listed.json())).not.toContain('alice.ng@');

    const resent = await call('POST', `/api/notifications/messages/${sent.id}/resend`);
    expect(resent.statusCode).toBe(201);
    const copyId = resent.json().resend.id;
    const { rows } = await ctx.db.query<{ idempotency_key: string; resend_of: number; status: string }>(
      'SELECT idempotency_key, resend_of, status FROM notification_messages WHERE id = $1',
      [copyId],
    );
    expect(rows[0]).toEqual({ idempotency_key: `resend:${sent.id}:1`, resend_of: sent.id, status: 'queued' });
    const { rows: events } = await ctx.db.query(`SELECT 1 FROM outbox WHERE topic = 'notification.message_queued' AND payload->>'messageId' = $1`, [String(copyId)]);
    expect(events).toHaveLength(1);
    const { rows: audit } = await ctx.db.query(`SELECT actor_id FROM audit_log WHERE action = 'notification_message.resent' AND entity_id = $1`, [String(sent.id)]);
    expect(audit).toEqual([{ actor_id: 'notifications' }]);

    // The copy is still on its way, so it is not resent; the STOP still stands for the text.
    expect((await call('POST', `/api/notifications/messages/${copyId}/resend`)).statusCode).toBe(409);
    const refused = await call('POST', `/api/notifications/messages/${text.id}/resend`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatch(/STOP/);

    // Copies past the limit are refused, as is one of a message suppressed before it was written.
    await ctx.db.query(`UPDATE notification_messages SET status = 'sent' WHERE id = $1`, [copyId]);
    for (let i = 2; i <= 3; i++) {
      const again = await call('POST', `/api/notifications/messages/${sent.id}/resend`);
      expect(again.statusCode).toBe(201);
      await ctx.db.query(`UPDATE notification_messages SET status = 'sent' WHERE id = $1`, [again.json().resend.id]);
    }
    const fourth = await call('POST', `/api/notifications/messages/${sent.id}/resend`);
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().error).toMatch(/3 times/);
    const blank = await queue('#W1000006', `routes-${ctx.backend}-3`);
    await ctx.db.query(`UPDATE notification_messages SET status = 'suppressed', subject = '', body_text = '', body_html = NULL WHERE id = $1`, [blank.id]);
    const never = await call('POST', `/api/notifications/messages/${blank.id}/resend`);
    expect(never.statusCode).toBe(409);
    expect(never.json().error).toMatch(/never written/);

    expect((await call('POST', '/api/notifications/messages/999999/resend')).statusCode).toBe(404);
    const bad = await call('POST', '/api/notifications/messages/abc/resend');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe('id');
    expect((await call('GET', '/api/orders/%23W9999999/notifications')).statusCode).toBe(404);
    await ctx.db.query('DELETE FROM notification_preferences WHERE customer_id = $1', [ALICE]);
  });

  it('reads and patches preferences: 400 naming the field, 404 for an unknown customer, audited', async () => {
    const read = await call('GET', '/api/customers/bob_stone_2002/notification-preferences');
    expect(read.json().preferences).toEqual({
      customer_id: 'bob_stone_2002', channel: 'email', email_transactional: true, sms_transactional: true,
      email_marketing: false, sms_marketing: false, sms_stopped_at: null, updated_by: '',
    });
    const patched = await call('PATCH', '/api/customers/bob_stone_2002/notification-preferences', { channel: 'both', email_marketing: true });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().preferences).toMatchObject({ channel: 'both', email_marketing: true, sms_marketing: false, updated_by: 'api:notifications' });
    expect((await call('GET', '/api/customers/bob_stone_2002/notification-preferences')).json().preferences.channel).toBe('both');
    const stop = await call('PATCH', '/api/customers/bob_stone_2002/notification-preferences', { sms_stopped: true });
    expect(stop.json().preferences.sms_stopped_at).not.toBeNull();

    for (const [body, field] of [
      [{ channel: 'pigeon' }, 'channel'],
      [{ email_marketing: 'yes' }, 'email_marketing'],
      [{ sms_stopped: false }, 'sms_stopped'],
      [{ colour: 'blue' }, '(body)'],
      [{}, '(body)'],
    ] as const) {
      const res = await call('PATCH', '/api/customers/bob_stone_2002/notification-preferences', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().issues[0].path).toBe(field);
    }
    expect((await call('GET', '/api/customers/nobody/notification-preferences')).statusCode).toBe(404);
    expect((await call('PATCH', '/api/customers/nobody/notification-preferences', { channel: 'sms' })).statusCode).toBe(404);
    const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'notification_preferences.updated' AND entity_id = 'bob_stone_2002'`);
    expect(rows[0]).toEqual({ n: 2 });
  });
});
