import { afterAll, beforeAll, expect, it } from 'vitest';
import { ScriptedProvider } from '../../src/agent/providers/scripted-provider.js';
import { ACTION_IDS } from '../../src/channels/slack/action-ids.js';
import type { Db } from '../../src/db/db.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { holdOrder } from '../../src/domain/orders/hold-order.js';
import { loadOrder } from '../../src/domain/orders/order-repository.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';
import { LocalSlackServer, type RecordedSlackCall } from './local-slack-server.js';
import { blockActionsForm, eventCallback, postSignedToApp, slashCommandForm } from './slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './slack-test-harness.js';

const APPROVER = 'UALICE001';
const OPS = 'UDAVE0001';
const ALERTS = 'CALERTS01';

type Block = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { action_id?: string; value?: string }[] };
const blockText = (blocks: Block[]) => blocks.map((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)].join('\n')).join('\n');
const actionsOf = (call: RecordedSlackCall) =>
  ((call.args.blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

async function seedHeldOrder(db: Db): Promise<string> {
  await seedTestCatalog(db, 'p-lamp', [{ sku: 'AL-LAMP', price: '40.00', stock: { 'loc-east-wh': 3, 'loc-west-wh': 7 } }]);
  const { order } = await createOrder(
    db,
    {
      channel: 'shopify',
      external_id: 'slack-alert-1',
      customer: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
      shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
      lines: [{ sku: 'AL-LAMP', quantity: 1 }],
      payment: { method: 'card' },
    },
    { kind: 'api', id: 'test' },
  );
  await holdOrder(db, { orderId: order.id, reason: 'risk score 0.91: new device, mismatched billing country' }, { kind: 'job', id: 'anomaly-score' });
  return order.id;
}

describeEachDb('Slack slash command, App Home and alerts channel', (ctx) => {
  let h: SlackHarness;
  let orderId: string;
  const command = async (text: string) => {
    const res = await postSignedToApp(`${h.baseUrl}/slack/commands`, slashCommandForm({ user: OPS, channel: 'COPS00001', text }), {
      signingSecret: SIGNING_SECRET,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    return JSON.parse(res.body) as { response_type: string; text: string; blocks?: Block[] };
  };

  beforeAll(async () => {
    orderId = await seedHeldOrder(ctx.db);
    const local = new LocalSlackServer().addUser({ id: APPROVER }).addUser({ id: OPS });
    h = await startSlackHarness({
      db: ctx.db,
      provider: new ScriptedProvider([], { whenExhausted: 'noted' }),
      local,
      // OPS is on the ops team but no approver: it may run commands and open approvals, not decide them.
      env: { SLACK_APPROVERS: APPROVER, SLACK_OPS_USERS: `${OPS},${APPROVER}`, SLACK_ALERTS_CHANNEL: ALERTS },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('/orderops order answers in the acknowledgement with order fields, without the model', async () => {
    const answer = await command(`order ${orderId}`);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(`Order ${orderId}: on_hold`);
    const fields = answer.blocks!.flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toEqual(expect.arrayContaining([expect.stringMatching(/\*Status\*\n.*on_hold/), expect.stringMatching(/\*Total\*\n\$40\.00/)]));
    expect(fields.join('\n')).toContain('risk score 0.91');
    expect((await command('order #W9999999')).text).toBe('No order #W9999999.');
  });

  it('/orderops stock finds a SKU by code or by product name', async () => {
    const bySku = await command('stock AL-LAMP');
    expect(bySku.text).toMatch(/AL-LAMP\): 9 available, 10 on hand, 1 reserved/);
    const byName = await command('stock product p-lamp');
    expect(byName.text).toBe(bySku.text);
    expect((await command('stock nothing-like-this')).text).toMatch(/No SKU or product matches/);
  });

  it('/orderops held, approvals, help and an unknown subcommand', async () => {
    expect((await command('held')).text).toContain(orderId);
    expect((await command('approvals')).text).toBe('No approvals waiting.');
    expect((await command('help')).text).toMatch(/\/orderops order <order id>/);
    expect((await command('frobnicate')).text).toMatch(/I don't know `frobnicate`/);
  });

  let alertTs: string;
  it('an alert lands in the alerts channel with its action buttons', async () => {
    await h.slack.alertSink.raise({
      subject: `order ${orderId}`,
      severity: 'critical',
      title: 'Order held for review',
      reasons: ['new device', 'billing country differs from shipping country'],
      suggestedActions: [
        { kind: 'release_order', label: 'Release hold', tool: 'release_order', args: { order_id: orderId, note: 'checked by ops' } },
        { kind: 'cancel_and_refund', label: 'Cancel & refund', tool: 'cancel_order', args: { order_id: orderId, reason: 'no longer needed' } },
      ],
      flagId: 1,
      dedupeKey: `hold:${orderId}`,
    });
    // The same alert again (a retried job) is not posted twice.
    await h.slack.alertSink.raise({ subject: `order ${orderId}`, severity: 'critical', title: 'Order held for review', reasons: [], suggestedActions: [], flagId: 1, dedupeKey: `hold:${orderId}` });
    const posts = h.local.callsOf('chat.postMessage').filter((c) => c.args.channel === ALERTS);
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(String(post.args.text)).toMatch(/^CRITICAL: Order held for review — order #W\d+ — new device; billing country/);
    expect(actionsOf(post).map((a) => a.action_id)).toEqual([`${ACTION_IDS.alertActionPrefix}0`, `${ACTION_IDS.alertActionPrefix}1`]);
    alertTs = (await ctx.db.query<{ ts: string }>('SELECT ts FROM slack_alerts')).rows[0]!.ts;
  });

  it('the App Home tab lists the held order and the open alert', async () => {
    const body = eventCallback({ type: 'app_home_opened', user: OPS, channel: 'DHOME0001', tab: 'home', event_ts: '1.2' });
    expect((await postSignedToApp(`${h.baseUrl}/slack/events`, body, { signingSecret: SIGNING_SECRET })).status).toBe(200);
    const publish = await h.local.waitForCall((c) => c.method === 'views.publish');
    expect(publish.args.user_id).toBe(OPS);
    const text = blockText((publish.args.view as { blocks: Block[] }).blocks);
    expect(text).toContain(`*Held orders (1)*`);
    expect(text).toContain(orderId);
    expect(text).toContain('*Open alerts (1)*');
    expect(text).toContain('*Open approvals (0)*');
  });

  it("an alert button opens an approval in the alert's thread; approving it releases the order and closes the alert", async () => {
    const press = blockActionsForm({ user: OPS, channel: ALERTS, messageTs: alertTs, actionId: `${ACTION_IDS.alertActionPrefix}0`, value: actionsOf(h.local.callsOf('chat.postMessage').find((c) => c.args.channel === ALERTS)!)[0]!.value! });
    expect((await postSignedToApp(`${h.baseUrl}/slack/interactivity`, press, { signingSecret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    const request = await h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === alertTs, { description: 'approval in the alert thread' });
    expect(request.args.channel).toBe(ALERTS);
    const approve = actionsOf(request).find((a) => a.action_id === ACTION_IDS.approve)!;
    expect(String(request.args.text)).toMatch(/^Approval needed: /);

    // The person who opened it is no approver: refused.
    const refused = blockActionsForm({ user: OPS, channel: ALERTS, messageTs: '9.9', threadTs: alertTs, actionId: ACTION_IDS.approve, value: approve.value! });
    await postSignedToApp(`${h.baseUrl}/slack/interactivity`, refused, { signingSecret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' });
    await h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === OPS);

    const ok = blockActionsForm({ user: APPROVER, channel: ALERTS, messageTs: '9.9', threadTs: alertTs, actionId: ACTION_IDS.approve, value: approve.value! });
    await postSignedToApp(`${h.baseUrl}/slack/interactivity`, ok, { signingSecret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' });
    const update = await h.local.waitForCall((c) => c.method === 'chat.update');
    expect(update.args.channel).toBe(ALERTS);
    expect(actionsOf(update)).toEqual([]);
    await h.slack.settled();
    await h.queue.drain();
    expect((await loadOrder(ctx.db, orderId))!.status).toBe('pending');
    expect((await ctx.db.query<{ status: string }>('SELECT status FROM slack_alerts')).rows[0]!.status).toBe('resolved');
  });

  it('an approval that expires has its message updated and its buttons removed', async () => {
    const held = await seedSecondHold(ctx.db);
    const [approval] = await Promise.all([
      h.agent.approvals.request({
        tool: (await import('../../src/tools/ops-toolset.js')).opsToolset().get('release_order')!,
        args: { order_id: held },
        ctx: { db: ctx.db, config: h.config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: OPS }, persona: 'ops' },
        reason: 'test',
        requester: { kind: 'person', id: OPS },
        verification: { verified: true, summary: `Slack user ${OPS} (signed request)` },
        origin: { channel: 'slack', threadKey: `COPS00001:1700000000.000100` },
      }),
    ]);
    const updatesBefore = h.local.callsOf('chat.update').length;
    const expired = await h.agent.approvals.expireApprovals(new Date(Date.now() + 48 * 3600_000));
    expect(expired.map((a) => a.id)).toContain(approval.approval.id);
    const update = h.local.callsOf('chat.update').slice(updatesBefore);
    expect(update).toHaveLength(1);
    expect(String(update[0]!.args.text)).toMatch(/^Expired without a decision/);
    expect(actionsOf(update[0]!)).toEqual([]);
  });

  it("a customer's request opened by another channel's agent is posted to the alerts channel and needs a person to approve", async () => {
    const { createAgentService } = await import('../../src/agent/agent-service.js');
    const { syncSlackApprovals } = await import('../../src/channels/slack/sync-slack-approvals.js');
    const { slackApprovalsAdapter } = await import('../../src/channels/slack/slack-approvals-adapter.js');
    const { opsToolset } = await import('../../src/tools/ops-toolset.js');
    const held = await seedSecondHold(ctx.db);
    // The email channel's agent: no Slack notifier, so Slack hears of the request only through the sync.
    const emailAgent = createAgentService({ db: ctx.db, config: h.config, provider: new ScriptedProvider([]) });
    const { approval } = await emailAgent.approvals.request({
      tool: opsToolset().get('release_order')!,
      args: { order_id: held },
      ctx: { db: ctx.db, config: h.config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: 'ada@example.com' }, persona: 'customer' },
      reason: 'customer asked by email',
      requester: { kind: 'person', id: 'ada@example.com' },
      verification: { verified: true, summary: 'email, DMARC pass for example.com' },
      origin: { channel: 'email', threadKey: '<root-1@customers.example>' },
    });
    const approvals = slackApprovalsAdapter(h.agent.approvals, { db: ctx.db, config: h.config });
    await syncSlackApprovals({ db: ctx.db, approvals, notifier: h.slack.notifier });
    await syncSlackApprovals({ db: ctx.db, approvals, notifier: h.slack.notifier });
    const posts = h.local.callsOf('chat.postMessage').filter((c) => actionsOf(c).some((a) => a.value === approval.id));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe(ALERTS);
    expect(posts[0]!.args.thread_ts).toBeUndefined();
    expect(String(posts[0]!.args.text)).toContain('asked by ada@example.com');

    // A bot account listed as approver may not decide a customer's request.
    h.local.addUser({ id: 'UROBOT001', is_bot: true });
    const { createSlackApproverCheck } = await import('../../src/channels/slack/slack-approver-check.js');
    const { WebClient } = await import('@slack/web-api');
    const check = createSlackApproverCheck({ client: new WebClient('xoxb-test', { slackApiUrl: h.local.apiUrl }), approvers: ['UROBOT001', APPROVER] });
    expect(await check.check('UROBOT001', { requirePerson: true })).toEqual({ allowed: false, reason: expect.stringMatching(/need a person/) });
    expect(await check.check('UROBOT001', { requirePerson: false })).toEqual({ allowed: true });
    expect(await check.check(APPROVER, { requirePerson: true })).toEqual({ allowed: true });

    const press = blockActionsForm({ user: APPROVER, channel: ALERTS, messageTs: '5.5', actionId: ACTION_IDS.reject, value: approval.id });
    await postSignedToApp(`${h.baseUrl}/slack/interactivity`, press, { signingSecret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' });
    const update = await h.local.waitForCall((c) => c.method === 'chat.update' && String(c.args.text).startsWith('Rejected'));
    expect(update.args.channel).toBe(ALERTS);
    expect(actionsOf(update)).toEqual([]);
    await h.slack.settled();
    await h.queue.drain();
    expect((await h.agent.approvals.getApproval(approval.id))!.status).toBe('rejected');
    expect((await loadOrder(ctx.db, held))!.status).toBe('on_hold');
    // Nothing left to catch up on.
    expect(await syncSlackApprovals({ db: ctx.db, approvals, notifier: h.slack.notifier })).toEqual({ pending: 0, updated: 0 });
  });
});

async function seedSecondHold(db: Db): Promise<string> {
  const { order } = await createOrder(
    db,
    {
      channel: 'shopify',
      external_id: `slack-alert-${Math.random().toString(36).slice(2)}`,
      customer: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
      shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
      lines: [{ sku: 'AL-LAMP', quantity: 1 }],
      payment: { method: 'card' },
    },
    { kind: 'api', id: 'test' },
  );
  await holdOrder(db, { orderId: order.id, reason: 'manual review' }, { kind: 'person', id: 'UDAVE0001' });
  return order.id;
}
