import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../src/agent/prompt-library.js';
import { ACTION_IDS } from '../../src/channels/slack/action-ids.js';
import { AnthropicWireServer } from '../support/anthropic-wire-server.js';
import { describeEachDb } from '../support/test-db.js';
import { LocalSlackServer, type RecordedSlackCall } from '../slack/local-slack-server.js';
import { appMentionEvent, blockActionsForm, eventCallback, postSignedToApp, slackTs, slashCommandForm, TEAM_ID } from '../slack/slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../slack/slack-test-harness.js';

const APPROVER = 'UAPPROVE1';
const OPS = 'UOPS00001';
const GROUP_OPS = 'UGRPOPS01';
const GUEST = 'UGUEST001';
const PARTNER = 'UPARTNER1';
const PARTNER_TEAM = 'TPARTNER1';
const OPS_GROUP = 'SOPSTEAM1';
const OPS_CHANNEL = 'COPS00001';
const RANDOM_CHANNEL = 'CRANDOM01';
const SHARED_CHANNEL = 'CSHARED01';
const ALERTS = 'CALERTS01';

const NOT_OPS = renderPrompt('slack-refusal-not-ops');
const WRONG_CHANNEL = renderPrompt('slack-refusal-channel');

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: string }[] };
const viewText = (call: RecordedSlackCall) =>
  ((call.args.view as { blocks: Block[] }).blocks ?? []).map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')].join('\n')).join('\n');

function endTurn(text: string) {
  return { status: 200 as const, content: [{ type: 'text', text }], stop_reason: 'end_turn' };
}

interface Door {
  h: SlackHarness;
  model: AnthropicWireServer;
  close(): Promise<void>;
}

/** The Slack front door with Claude behind it, served by the local Anthropic wire server. */
async function openDoor(db: Parameters<typeof startSlackHarness>[0]['db'], env: Record<string, string>): Promise<Door> {
  const model = new AnthropicWireServer();
  const modelUrl = await model.start();
  const local = new LocalSlackServer()
    .addUser({ id: APPROVER })
    .addUser({ id: OPS })
    .addUser({ id: GROUP_OPS })
    .addUser({ id: GUEST, is_restricted: true })
    .addUser({ id: PARTNER })
    .addUserGroup(OPS_GROUP, [GROUP_OPS]);
  const h = await startSlackHarness({
    db,
    local,
    env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: modelUrl, SLACK_APPROVERS: APPROVER, SLACK_ALERTS_CHANNEL: ALERTS, ...env },
  });
  return {
    h,
    model,
    async close() {
      await h.close();
      await model.stop();
    },
  };
}

describeEachDb('Slack: only the ops team talks to the ops agent', (ctx) => {
  const send = (door: Door, path: string, body: string, form = false) =>
    postSignedToApp(`${door.h.baseUrl}${path}`, body, { signingSecret: SIGNING_SECRET, ...(form ? { contentType: 'application/x-www-form-urlencoded' as const } : {}) });
  const settle = async (door: Door) => {
    await door.h.slack.settled();
    await door.h.queue.drain();
  };
  const turnsIn = async (threadKey: string) =>
    (await ctx.db.query('SELECT 1 FROM agent_conversations WHERE thread_key = $1', [threadKey])).rows.length;
  const mention = (user: string, channel: string, text: string, extra: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) => {
    const ts = slackTs();
    return { ts, body: eventCallback({ ...appMentionEvent({ user, channel, text, ts }), ...extra }, undefined, envelope) };
  };
  const refusalTo = (door: Door, user: string, text: string) =>
    door.h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.args.text === text, {
      description: `the refusal to ${user}`,
    });

  describe('with SLACK_OPS_USERS naming people and a user group', () => {
    let door: Door;
    beforeAll(async () => {
      door = await openDoor(ctx.db, { SLACK_OPS_USERS: `${OPS},${OPS_GROUP},${PARTNER}` });
    }, 60_000);
    afterAll(async () => {
      await door?.close();
    });

    let opsThreadTs: string;
    it('an ops user still gets an agent turn', async () => {
      door.model.enqueue(endTurn('Hello ops.'));
      const m = mention(OPS, OPS_CHANNEL, 'anything held?');
      opsThreadTs = m.ts;
      expect((await send(door, '/slack/events', m.body)).status).toBe(200);
      const reply = await door.h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'Hello ops.');
      expect(reply.args).toMatchObject({ channel: OPS_CHANNEL, thread_ts: m.ts });
      expect(door.model.requests).toHaveLength(1);
    });

    it('a member of a listed user group counts as ops', async () => {
      door.model.enqueue(endTurn('Hello group.'));
      const m = mention(GROUP_OPS, OPS_CHANNEL, 'stock of the lamp?');
      expect((await send(door, '/slack/events', m.body)).status).toBe(200);
      await door.h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'Hello group.');
      expect(door.h.local.callsOf('usergroups.users.list').map((c) => c.args.usergroup)).toContain(OPS_GROUP);
      expect(door.model.requests).toHaveLength(2);
    });

    it("a guest's mention gets the polite refusal; no model call, no turn, no approval", async () => {
      const m = mention(GUEST, OPS_CHANNEL, 'cancel #W0000001 and refund it');
      expect((await send(door, '/slack/events', m.body)).status).toBe(200);
      const refusal = await refusalTo(door, GUEST, NOT_OPS);
      expect(refusal.args.channel).toBe(OPS_CHANNEL);
      await settle(door);
      expect(door.model.requests).toHaveLength(2);
      expect(await turnsIn(`${OPS_CHANNEL}:${m.ts}`)).toBe(0);
      expect(await door.h.agent.approvals.listApprovals({})).toEqual([]);
      expect(door.h.local.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === m.ts)).toEqual([]);
    });

    it("a guest's DM gets the refusal and no turn", async () => {
      const ts = slackTs();
      const dm = eventCallback({ type: 'message', channel: 'DGUEST001', channel_type: 'im', user: GUEST, text: 'list held orders', ts, event_ts: ts, team: TEAM_ID });
      expect((await send(door, '/slack/events', dm)).status).toBe(200);
      await door.h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === GUEST && c.args.channel === 'DGUEST001' && c.args.text === NOT_OPS);
      await settle(door);
      expect(door.model.requests).toHaveLength(2);
      expect(await turnsIn(`DGUEST001:${ts}`)).toBe(0);
    });

    it("a guest's reply in a thread the bot takes part in gets the refusal and is not added to the conversation", async () => {
      const before = door.h.local.callsOf('chat.postEphemeral').length;
      const ts = slackTs();
      const reply = eventCallback({ type: 'message', channel: OPS_CHANNEL, channel_type: 'channel', user: GUEST, text: 'also release #W0000002', ts, thread_ts: opsThreadTs, event_ts: ts, team: TEAM_ID });
      expect((await send(door, '/slack/events', reply)).status).toBe(200);
      const refusal = await door.h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === GUEST && c.args.thread_ts === opsThreadTs);
      expect(refusal.args.text).toBe(NOT_OPS);
      expect(door.h.local.callsOf('chat.postEphemeral').length).toBe(before + 1);
      await settle(door);
      expect(door.model.requests).toHaveLength(2);
      const messages = await ctx.db.query(
        `SELECT 1 FROM agent_messages m JOIN agent_conversations c ON c.id = m.conversation_id WHERE c.thread_key = $1`,
        [`${OPS_CHANNEL}:${opsThreadTs}`],
      );
      // The ops user's turn: their message and the model's answer, nothing from the guest.
      expect(messages.rows).toHaveLength(2);
    });

    it('a guest running /orderops gets the refusal instead of the ledger', async () => {
      const res = await send(door, '/slack/commands', slashCommandForm({ user: GUEST, channel: OPS_CHANNEL, text: 'held' }), true);
      expect(res.status).toBe(200);
      const answer = JSON.parse(res.body) as { response_type: string; text: string };
      expect(answer).toMatchObject({ response_type: 'ephemeral', text: NOT_OPS });
      const ops = JSON.parse((await send(door, '/slack/commands', slashCommandForm({ user: OPS, channel: OPS_CHANNEL, text: 'held' }), true)).body) as { text: string };
      expect(ops.text).not.toBe(NOT_OPS);
    });

    it("a guest's Home tab says the app is for the ops team and lists nothing", async () => {
      const body = eventCallback({ type: 'app_home_opened', user: GUEST, channel: 'DHOME0002', tab: 'home', event_ts: '1.3' });
      expect((await send(door, '/slack/events', body)).status).toBe(200);
      const publish = await door.h.local.waitForCall((c) => c.method === 'views.publish' && c.args.user_id === GUEST);
      const text = viewText(publish);
      expect(text).toContain('orderops is for the ops team');
      expect(text).not.toMatch(/Held orders|Open approvals|Open alerts/);
    });

    it('a guest pressing an alert button is refused and no approval opens', async () => {
      await door.h.slack.alertSink.raise({
        subject: 'order #W0000001',
        severity: 'critical',
        title: 'Order held for review',
        reasons: ['new device'],
        suggestedActions: [{ kind: 'release_order', label: 'Release hold', tool: 'release_order', args: { order_id: '#W0000001', note: 'ok' } }],
        flagId: 1,
        dedupeKey: 'hold:non-ops-test',
      });
      const alert = door.h.local.callsOf('chat.postMessage').find((c) => c.args.channel === ALERTS)!;
      const button = ((alert.args.blocks as Block[]).find((b) => b.type === 'actions')!.elements ?? [])[0]!;
      const press = blockActionsForm({ user: GUEST, channel: ALERTS, messageTs: '7.7', actionId: `${ACTION_IDS.alertActionPrefix}0`, value: button.value! });
      expect((await send(door, '/slack/interactivity', press, true)).status).toBe(200);
      await refusalTo(door, GUEST, NOT_OPS);
      await settle(door);
      expect(await door.h.agent.approvals.listApprovals({})).toEqual([]);
    });

    it('a Slack Connect user from another organisation is refused, even with a listed id', async () => {
      const m = mention(PARTNER, SHARED_CHANNEL, 'what did we order?', { team: PARTNER_TEAM, user_team: PARTNER_TEAM, source_team: PARTNER_TEAM }, { is_ext_shared_channel: true });
      expect((await send(door, '/slack/events', m.body)).status).toBe(200);
      await refusalTo(door, PARTNER, NOT_OPS);
      const press = blockActionsForm({ user: PARTNER, channel: ALERTS, messageTs: '7.7', actionId: `${ACTION_IDS.alertActionPrefix}0`, value: 'x' });
      const form = new URLSearchParams(press);
      const payload = JSON.parse(form.get('payload')!) as { user: { team_id: string } };
      payload.user.team_id = PARTNER_TEAM;
      form.set('payload', JSON.stringify(payload));
      expect((await send(door, '/slack/interactivity', form.toString(), true)).status).toBe(200);
      await door.h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === PARTNER && c.args.channel === ALERTS);
      await settle(door);
      expect(door.model.requests).toHaveLength(2);
      expect(await turnsIn(`${SHARED_CHANNEL}:${m.ts}`)).toBe(0);
      expect(await door.h.agent.approvals.listApprovals({})).toEqual([]);
    });

    it('an ops user in a channel shared with another organisation is not answered there', async () => {
      const m = mention(OPS, SHARED_CHANNEL, 'show me the customer', { team: TEAM_ID, user_team: TEAM_ID }, { is_ext_shared_channel: true });
      expect((await send(door, '/slack/events', m.body)).status).toBe(200);
      await refusalTo(door, OPS, WRONG_CHANNEL);
      await settle(door);
      expect(door.model.requests).toHaveLength(2);
      expect(await turnsIn(`${SHARED_CHANNEL}:${m.ts}`)).toBe(0);
    });
  });

  describe('with SLACK_OPS_USERS empty (the secure default)', () => {
    let door: Door;
    beforeAll(async () => {
      door = await openDoor(ctx.db, {});
    }, 60_000);
    afterAll(async () => {
      await door?.close();
    });

    it('the approvers are the ops team and nobody else; start-up says so', async () => {
      expect(door.h.logs.some((l) => l.includes('ops team') && l.includes(APPROVER) && l.includes('SLACK_APPROVERS'))).toBe(true);
      const refused = mention(OPS, OPS_CHANNEL, 'anything held?');
      expect((await send(door, '/slack/events', refused.body)).status).toBe(200);
      await refusalTo(door, OPS, NOT_OPS);

      door.model.enqueue(endTurn('Hello approver.'));
      const ok = mention(APPROVER, OPS_CHANNEL, 'anything held?');
      expect((await send(door, '/slack/events', ok.body)).status).toBe(200);
      await door.h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'Hello approver.');
      expect(door.model.requests).toHaveLength(1);
      expect(await turnsIn(`${OPS_CHANNEL}:${refused.ts}`)).toBe(0);
    });
  });

  describe('with SLACK_OPS_CHANNELS', () => {
    let door: Door;
    beforeAll(async () => {
      door = await openDoor(ctx.db, { SLACK_OPS_USERS: OPS, SLACK_OPS_CHANNELS: OPS_CHANNEL });
    }, 60_000);
    afterAll(async () => {
      await door?.close();
    });

    it('an ops user is answered in the listed channel and in a DM, and refused elsewhere', async () => {
      const elsewhere = mention(OPS, RANDOM_CHANNEL, 'who ordered the lamp?');
      expect((await send(door, '/slack/events', elsewhere.body)).status).toBe(200);
      const refusal = await refusalTo(door, OPS, WRONG_CHANNEL);
      expect(refusal.args.channel).toBe(RANDOM_CHANNEL);
      const command = JSON.parse((await send(door, '/slack/commands', slashCommandForm({ user: OPS, channel: RANDOM_CHANNEL, text: 'held' }), true)).body) as { text: string };
      expect(command.text).toBe(WRONG_CHANNEL);
      await settle(door);
      expect(door.model.requests).toHaveLength(0);
      expect(await turnsIn(`${RANDOM_CHANNEL}:${elsewhere.ts}`)).toBe(0);

      door.model.enqueue(endTurn('In the ops channel.'), endTurn('In the DM.'));
      const here = mention(OPS, OPS_CHANNEL, 'who ordered the lamp?');
      expect((await send(door, '/slack/events', here.body)).status).toBe(200);
      await door.h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'In the ops channel.');
      const ts = slackTs();
      const dm = eventCallback({ type: 'message', channel: 'DOPS00001', channel_type: 'im', user: OPS, text: 'and now?', ts, event_ts: ts, team: TEAM_ID });
      expect((await send(door, '/slack/events', dm)).status).toBe(200);
      const reply = await door.h.local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.text === 'In the DM.');
      expect(reply.args.channel).toBe('DOPS00001');
    });
  });
});
