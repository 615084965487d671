import { beforeAll, expect, it } from 'vitest';
import { ALICE, BOB, seedAgentFixture } from '../../test/support/agent-fixture.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { createApprovalService, type ApprovalService } from '../agent/approval-service.js';
import { executeToolCall } from '../agent/tool-executor.js';
import { loadConfig } from '../config/config.js';
import { loadPreferences } from '../notifications/consent/notification-preferences.js';
import { queueNotificationMessage } from '../notifications/queue-notification-message.js';
import { getWorkflow } from '../notifications/workflow-repository.js';
import { customerToolset } from './customer-toolset.js';
import { opsToolset } from './ops-toolset.js';
import type { Toolset } from './toolset.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER' } as NodeJS.ProcessEnv);
const staff = { kind: 'person' as const, id: 'U_REQUESTER' };

describeEachDb('notification tools', (ctx) => {
  let approvals: ApprovalService;
  let aliceMessage: number;
  let bobMessage: number;
  let thread = 0;

  const callAs = (toolset: Toolset, name: string, input: Record<string, unknown>) => {
    const customer = toolset.persona === 'customer';
    const requester = customer ? { kind: 'person' as const, id: 'alice.ng@example.com' } : staff;
    return executeToolCall(
      {
        toolset,
        ctx: {
          db: ctx.db,
          config,
          actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id },
          persona: toolset.persona,
          ...(toolset.customerId ? { customerId: toolset.customerId } : {}),
        },
        approvals,
        requester,
        verification: { verified: true, summary: customer ? 'email, DMARC pass for example.com' : 'Slack user U_REQUESTER (signed request)' },
        origin: customer ? { channel: 'email', threadKey: `<t${++thread}@example.com>` } : { channel: 'slack', threadKey: `t-${++thread}` },
      },
      { id: 'toolu_1', name, input },
    );
  };
  const ops = (name: string, input: Record<string, unknown>) => callAs(opsToolset(), name, input);
  const alice = (name: string, input: Record<string, unknown>) => callAs(customerToolset(ALICE), name, input);
  const approve = (id: string) => approvals.decideApproval({ id, decision: 'approve', decider: { kind: 'person', id: 'U_APPROVER' } });
  const queue = async (customerId: string, orderId: string, recipient: string, key: string) => {
    const { id } = await queueNotificationMessage(ctx.db, {
      runId: null, workflowId: 'order-shipped', template: 'shipped', category: 'transactional', customerId, orderId,
      channel: 'email', recipient, subject: `Order ${orderId} shipped`, bodyText: 'On its way.', bodyHtml: null, idempotencyKey: key,
    });
    await ctx.db.query(`UPDATE notification_messages SET status = 'sent', sent_at = now() WHERE id = $1`, [id]);
    return id;
  };

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    approvals = createApprovalService({ db: ctx.db, config });
    aliceMessage = await queue(ALICE, '#W1000003', 'alice.ng@example.com', 'tools-alice');
    bobMessage = await queue(BOB, '#W2000001', 'bob.stone@example.com', 'tools-bob');
  });

  it('list_order_notifications shows the messages with the recipient masked', async () => {
    const out = await ops('list_order_notifications', { order_id: 'W1000003' });
    expect(out.isError).toBe(false);
    const body = JSON.parse(out.content);
    expect(body).toMatchObject({ order_id: '#W1000003', notifications: [{ id: aliceMessage, recipient: 'a***@example.com', status: 'sent' }] });
    expect(out.content).not.toContain('alice.ng@');
    expect((await ops('list_order_notifications', { order_id: '#W9999999' })).isError).toBe(true);
  });

  it('resend_notification runs at once for staff and queues a copy', async () => {
    const out = await ops('resend_notification', { message_id: aliceMessage });
    expect(out.isError).toBe(false);
    const { message_id } = JSON.parse(out.content);
    const { rows } = await ctx.db.query('SELECT resend_of, status FROM notification_messages WHERE id = $1', [message_id]);
    expect(rows[0]).toEqual({ resend_of: aliceMessage, status: 'queued' });
  });

  it("a customer conversation sees and resends only the customer's own notifications", async () => {
    const before = (await ctx.db.query('SELECT count(*)::int AS n FROM notification_messages')).rows[0];
    for (const [name, input] of [
      ['list_order_notifications', { order_id: '#W2000001' }],
      ['resend_notification', { message_id: bobMessage }],
      ['resend_notification', { message_id: 999_999 }],
      ['set_notification_preferences', { customer_id: BOB, sms_marketing: true }],
    ] as const) {
      const out = await alice(name, input);
      expect(out.isError, `${name} ${JSON.stringify(input)}`).toBe(true);
      expect(out.content).toMatch(/not on your account/);
      expect(out.approval).toBeUndefined();
    }
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM notification_messages')).rows[0]).toEqual(before);

    const own = JSON.parse((await alice('list_order_notifications', { order_id: '#W1000003' })).content);
    expect(own.notifications.map((n: { id: number }) => n.id)).toContain(aliceMessage);
    // A change asked for by a customer waits for staff, as every customer write does.
    const resend = await alice('resend_notification', { message_id: aliceMessage });
    expect(resend.approval?.status).toBe('pending');
  });

  it('pause_notification_workflow is staff only and never offered to a customer', async () => {
    expect(customerToolset(ALICE).get('pause_notification_workflow')).toBeUndefined();
    const refused = await alice('pause_notification_workflow', { workflow_id: 'order-shipped', reason: 'outage' });
    expect(refused.isError).toBe(true);
    expect(refused.content).toMatch(/unknown tool/);
  });

  it('pause_notification_workflow waits for approval, shows the change, and pauses once approved', async () => {
    await ctx.db.query(`INSERT INTO notification_workflows (id, definition) VALUES ('order-shipped', '{}'::jsonb)`);
    const out = await ops('pause_notification_workflow', { workflow_id: 'order-shipped', reason: 'carrier outage' });
    expect(out.approval?.status).toBe('pending');
    expect(out.approval!.preview.changes).toEqual([{ field: 'notification workflow order-shipped.paused', before: false, after: true }]);
    expect((await getWorkflow(ctx.db, 'order-shipped'))!.paused).toBe(false);
    expect((await approve(out.approval!.id)).status).toBe('executed');
    expect((await getWorkflow(ctx.db, 'order-shipped'))).toMatchObject({ paused: true, pausedReason: 'carrier outage' });

    const unknown = await ops('pause_notification_workflow', { workflow_id: 'nope', reason: 'carrier outage' });
    expect(unknown.isError).toBe(true);
    expect(unknown.content).toMatch(/nope not found/);
  });

  it('set_notification_preferences waits for approval with the preferences it changes, then applies them', async () => {
    const out = await ops('set_notification_preferences', { customer_id: BOB, channel: 'sms', sms_stopped: true });
    expect(out.approval?.status).toBe('pending');
    const changes = out.approval!.preview.changes;
    expect(changes).toContainEqual({ field: 'notification preferences.channel', before: 'email', after: 'sms' });
    expect(changes.find((c) => c.field === 'notification preferences.sms_stopped_at')).toMatchObject({ before: null });
    expect((await loadPreferences(ctx.db, BOB)).channel).toBe('email');
    expect((await approve(out.approval!.id)).status).toBe('executed');
    const after = await loadPreferences(ctx.db, BOB);
    expect(after.channel).toBe('sms');
    expect(after.smsStoppedAt).not.toBeNull();

    expect((await ops('set_notification_preferences', { customer_id: BOB })).isError).toBe(true);
    expect((await ops('set_notification_preferences', { customer_id: BOB, sms_stopped: false })).isError).toBe(true);
  });
});
