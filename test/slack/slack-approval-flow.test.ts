import { afterAll, beforeAll, expect, it } from 'vitest';
import { ScriptedProvider } from '../../src/agent/providers/scripted-provider.js';
import { ACTION_IDS } from '../../src/channels/slack/action-ids.js';
import type { Db } from '../../src/db/db.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import { loadOrder } from '../../src/domain/orders/order-repository.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';
import type { RecordedSlackCall } from './local-slack-server.js';
import { LocalSlackServer } from './local-slack-server.js';
import { appMentionEvent, blockActionsForm, eventCallback, postSignedToApp, slackTs } from './slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './slack-test-harness.js';

const APPROVER = 'UALICE001';
const GROUP_APPROVER = 'UCAROL001';
const NON_APPROVER = 'UBOB00001';
const REQUESTER = 'UDAVE0001';
const OPS_CHANNEL = 'COPS00001';

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };
const actionIds = (call: RecordedSlackCall) =>
  ((call.args.blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id));

async function seedOrder(db: Db): Promise<string> {
  await seedTestCatalog(db, 'p-slack', [{ sku: 'SL-TEE-M', price: '25.00', stock: { 'loc-east-wh': 10 } }]);
  const { order } = await createOrder(
    db,
    {
      channel: 'shopify',
      external_id: 'slack-e2e-1',
      customer: { email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper' },
      shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
      lines: [{ sku: 'SL-TEE-M', quantity: 2 }],
      payment: { method: 'card' },
    },
    { kind: 'api', id: 'test' },
  );
  return order.id;
}

describeEachDb('Slack mention → approval → decision, end to end', (ctx) => {
  let h: SlackHarness;
  let orderId: string;
  let provider: ScriptedProvider;
  const settle = async () => {
    await h.slack.settled();
    await h.queue.drain();
  };
  const post = (path: string, body: string, extra: Parameters<typeof postSignedToApp>[2] extends infer O ? Partial<O> : never = {}) =>
    postSignedToApp(`${h.baseUrl}${path}`, body, { signingSecret: SIGNING_SECRET, ...extra });

  beforeAll(async () => {
    orderId = await seedOrder(ctx.db);
    provider = new ScriptedProvider([
      { text: 'Cancelling it needs approval.', toolCalls: [{ name: 'cancel_order', input: { order_id: orderId, reason: 'ordered by mistake' } }] },
      { text: `I asked for approval to cancel ${orderId}.` },
      { text: `Done: ${orderId} is cancelled and the payment goes back to the card.` },
    ]);
    const local = new LocalSlackServer()
      .addUser({ id: APPROVER, name: 'alice' })
      .addUser({ id: GROUP_APPROVER, name: 'carol' })
      .addUser({ id: NON_APPROVER, name: 'bob' })
      .addUser({ id: REQUESTER, name: 'dave' })
      .addUserGroup('SOPSLEADS', [GROUP_APPROVER]);
    h = await startSlackHarness({ db: ctx.db, provider, local, env: { SLACK_APPROVERS: `${APPROVER},SOPSLEADS`, SLACK_OPS_USERS: `${REQUESTER},${APPROVER},SOPSLEADS` } });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  let mentionTs: string;
  let approvalMessage: RecordedSlackCall;
  let approvalId: string;
  let mentionBody: string;

  it('a mention is acknowledged at once and becomes one agent turn whose approval lands in the thread', async () => {
    mentionTs = slackTs();
    mentionBody = eventCallback(appMentionEvent({ user: REQUESTER, channel: OPS_CHANNEL, text: `please cancel ${orderId}, ordered by mistake`, ts: mentionTs }), 'EvMENTION1');
    const res = await post('/slack/events', mentionBody);
    expect(res.status).toBe(200);

    approvalMessage = await h.local.waitForCall(
      (c) => c.method === 'chat.postMessage' && actionIds(c).includes(ACTION_IDS.approve),
      { description: 'the approval message' },
    );
    expect(approvalMessage.args.channel).toBe(OPS_CHANNEL);
    expect(approvalMessage.args.thread_ts).toBe(mentionTs);
    expect(actionIds(approvalMessage)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject]);
    const text = String(approvalMessage.args.text);
    expect(text).toContain(orderId);
    expect(text).toMatch(/refund \$50\.00/);
    expect(text).toContain(REQUESTER);
    expect(text).toMatch(/expires \d{4}-\d{2}-\d{2}/);

    const reply = await h.local.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === mentionTs && !actionIds(c).length,
      { description: 'the agent reply' },
    );
    expect(String(reply.args.text)).toContain(`I asked for approval to cancel ${orderId}`);
    const pending = await h.agent.approvals.listApprovals({ status: 'pending' });
    expect(pending).toHaveLength(1);
    approvalId = pending[0]!.id;
    expect((approvalMessage.args.blocks as Block[]).flatMap((b) => b.elements ?? []).map((e) => e.value)).toContain(approvalId);
    expect(pending[0]!.origin).toEqual({ channel: 'slack', threadKey: `${OPS_CHANNEL}:${mentionTs}` });
  });

  it('a retried delivery of the same event (X-Slack-Retry-Num) starts no second turn', async () => {
    const modelCalls = provider.requests.length;
    const posts = h.local.callsOf('chat.postMessage').length;
    const res = await post('/slack/events', mentionBody, { retryNum: 1 });
    expect(res.status).toBe(200);
    await settle();
    expect(provider.requests.length).toBe(modelCalls);
    expect(h.local.callsOf('chat.postMessage').length).toBe(posts);
  });

  it("a non-approver's press is refused with an ephemeral reason and changes nothing", async () => {
    const res = await post(
      '/slack/interactivity',
      blockActionsForm({ user: NON_APPROVER, channel: OPS_CHANNEL, messageTs: '1.1', threadTs: mentionTs, actionId: ACTION_IDS.approve, value: approvalId }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(res.status).toBe(200);
    const ephemeral = await h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === NON_APPROVER);
    expect(String(ephemeral.args.text)).toMatch(/not an orderops approver/);
    await settle();
    expect((await h.agent.approvals.getApproval(approvalId))!.status).toBe('pending');
    expect((await loadOrder(ctx.db, orderId))!.status).toBe('pending');
    expect(h.local.callsOf('chat.update')).toHaveLength(0);
  });

  let approveForm: string;
  it("an approver's press runs the action once, updates the message and posts the agent's report", async () => {
    approveForm = blockActionsForm({
      user: APPROVER,
      channel: OPS_CHANNEL,
      messageTs: '1.1',
      threadTs: mentionTs,
      actionId: ACTION_IDS.approve,
      value: approvalId,
      actionTs: '1700000000.000001',
    });
    const res = await post('/slack/interactivity', approveForm, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);

    const update = await h.local.waitForCall((c) => c.method === 'chat.update', { description: 'the approval message update' });
    expect(update.args.channel).toBe(OPS_CHANNEL);
    expect(update.args.ts).toBeDefined();
    expect(actionIds(update)).toEqual([]);
    expect(String(update.args.text)).toMatch(/Approved and done/);
    expect(String(update.args.text)).toContain(APPROVER);
    expect(JSON.stringify(update.args.blocks)).toContain(`<@${APPROVER}>`);

    const report = await h.local.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === mentionTs && String(c.args.text).startsWith('Done:'),
      { description: "the agent's follow-up" },
    );
    expect(report.args.channel).toBe(OPS_CHANNEL);
    await settle();

    const order = await loadOrder(ctx.db, orderId);
    expect(order!.status).toBe('cancelled');
    expect(order!.payments.filter((p) => p.kind === 'refund')).toHaveLength(1);
    expect((await h.agent.approvals.getApproval(approvalId))!).toMatchObject({ status: 'executed', decidedBy: APPROVER });
  });

  it('a second press and a replayed payload do nothing', async () => {
    const updates = h.local.callsOf('chat.update').length;
    const posts = h.local.callsOf('chat.postMessage').length;
    const second = blockActionsForm({ user: GROUP_APPROVER, channel: OPS_CHANNEL, messageTs: '1.1', threadTs: mentionTs, actionId: ACTION_IDS.reject, value: approvalId });
    expect((await post('/slack/interactivity', second, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect((await post('/slack/interactivity', approveForm, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    await settle();

    const ephemeral = h.local.callsOf('chat.postEphemeral').filter((c) => c.args.user === GROUP_APPROVER);
    expect(ephemeral.map((c) => String(c.args.text))).toEqual([expect.stringMatching(/Already decided: executed/)]);
    expect(h.local.callsOf('chat.update').length).toBe(updates);
    expect(h.local.callsOf('chat.postMessage').length).toBe(posts);
    const order = await loadOrder(ctx.db, orderId);
    expect(order!.status).toBe('cancelled');
    expect(order!.payments.filter((p) => p.kind === 'refund')).toHaveLength(1);
    const audits = await ctx.db.query(`SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'order.status_changed'`, [orderId]);
    expect(audits.rows).toHaveLength(1);
  });

  it('a plain reply in the thread is a new turn in the same conversation', async () => {
    provider.push({ text: 'Anything else?' });
    const ts = slackTs();
    const body = eventCallback({ type: 'message', channel: OPS_CHANNEL, channel_type: 'channel', user: REQUESTER, text: 'thanks', ts, thread_ts: mentionTs, event_ts: ts });
    expect((await post('/slack/events', body)).status).toBe(200);
    const reply = await h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'Anything else?');
    expect(reply.args.thread_ts).toBe(mentionTs);
    const conversations = await ctx.db.query(`SELECT 1 FROM agent_conversations WHERE thread_key = $1`, [`${OPS_CHANNEL}:${mentionTs}`]);
    expect(conversations.rows).toHaveLength(1);
  });

  it('a DM is a turn answered in the DM; messages in threads the bot is not part of, and its own, start nothing', async () => {
    provider.push({ text: 'Hello from orderops.' });
    const dmTs = slackTs();
    const dm = eventCallback({ type: 'message', channel: 'DDAVE0001', channel_type: 'im', user: REQUESTER, text: 'hi', ts: dmTs, event_ts: dmTs });
    expect((await post('/slack/events', dm)).status).toBe(200);
    const reply = await h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'Hello from orderops.');
    expect(reply.args).toMatchObject({ channel: 'DDAVE0001', thread_ts: dmTs });

    const modelCalls = provider.requests.length;
    const strangerTs = slackTs();
    const stranger = eventCallback({ type: 'message', channel: OPS_CHANNEL, channel_type: 'channel', user: REQUESTER, text: 'lunch?', ts: strangerTs, thread_ts: '1600000000.000001', event_ts: strangerTs });
    const ownTs = slackTs();
    const own = eventCallback({ type: 'message', channel: OPS_CHANNEL, channel_type: 'channel', user: 'UBOT0RDER', bot_id: 'BBOT0RDER', text: 'my reply', ts: ownTs, thread_ts: mentionTs, event_ts: ownTs });
    expect((await post('/slack/events', stranger)).status).toBe(200);
    expect((await post('/slack/events', own)).status).toBe(200);
    await settle();
    expect(provider.requests.length).toBe(modelCalls);
  });
});
