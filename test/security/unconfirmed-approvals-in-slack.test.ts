import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedProvider } from '../../src/agent/providers/scripted-provider.js';
import { ACTION_IDS } from '../../src/channels/slack/action-ids.js';
import { slackApprovalsAdapter } from '../../src/channels/slack/slack-approvals-adapter.js';
import { syncSlackApprovals } from '../../src/channels/slack/sync-slack-approvals.js';
import type { Db } from '../../src/db/db.js';
import { customerToolset } from '../../src/tools/customer-toolset.js';
import { LocalSlackServer, type RecordedSlackCall } from '../slack/local-slack-server.js';
import { blockActionsForm, postSignedToApp } from '../slack/slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../slack/slack-test-harness.js';
import { ALICE, seedAgentFixture } from '../support/agent-fixture.js';
import { openTestDb } from '../support/test-db.js';

const APPROVER = 'UALICE001';
const ALERTS = 'CALERTS01';

type Block = { type: string; fields?: { text: string }[]; elements?: { value?: string }[] };
const buttonsFor = (call: RecordedSlackCall, id: string) =>
  ((call.args.blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []).filter((e) => e.value === id);

/**
 * A change asked for by an unverified email sender never reaches Slack with buttons until the
 * mailbox owner has confirmed it, and an approver who presses a forged button for it is refused.
 */
describe('approvals awaiting the customer in Slack', () => {
  let db: Db;
  let h: SlackHarness;

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    h = await startSlackHarness({
      db,
      provider: new ScriptedProvider([], { whenExhausted: 'noted' }),
      local: new LocalSlackServer().addUser({ id: APPROVER }),
      env: { SLACK_APPROVERS: APPROVER, SLACK_ALERTS_CHANNEL: ALERTS },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  it('posts nothing for a request awaiting confirmation, refuses its approval, and posts it with its verification once confirmed', async () => {
    const { approval } = await h.agent.approvals.request({
      tool: customerToolset(ALICE).get('cancel_order')!,
      args: { order_id: '#W1000001', reason: 'ordered by mistake' },
      ctx: { db, config: h.config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: 'alice.ng@example.com' }, persona: 'customer', customerId: ALICE },
      reason: 'changes asked for in a customer conversation need approval',
      requester: { kind: 'person', id: 'alice.ng@example.com' },
      verification: { verified: false, summary: 'email, unverified sender (DMARC fail for example.com)' },
      origin: { channel: 'email', threadKey: '<forged@evil.example>' },
    });
    expect(approval.status).toBe('awaiting_confirmation');
    const approvals = slackApprovalsAdapter(h.agent.approvals, { db, config: h.config });
    await syncSlackApprovals({ db, approvals, notifier: h.slack.notifier });
    await h.slack.notifier.created?.(approval);
    const postsFor = () => h.local.callsOf('chat.postMessage').filter((c) => buttonsFor(c, approval.id).length > 0);
    expect(postsFor()).toEqual([]);

    const press = blockActionsForm({ user: APPROVER, channel: ALERTS, messageTs: '9.9', actionId: ACTION_IDS.approve, value: approval.id });
    await postSignedToApp(`${h.baseUrl}/slack/interactivity`, press, { signingSecret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' });
    const refusal = await h.local.waitForCall((c) => c.method === 'chat.postEphemeral' && /waiting for the customer to confirm/.test(String(c.args.text)));
    expect(refusal.args.user).toBe(APPROVER);
    await h.slack.settled();
    await h.queue.drain();
    expect((await h.agent.approvals.getApproval(approval.id))!.status).toBe('awaiting_confirmation');

    const { code } = await h.agent.approvals.issueConfirmation(approval.id, '<confirm-1@shop.example>');
    expect((await h.agent.approvals.confirmRequester({ reference: '<confirm-1@shop.example>', codes: [code] })).outcome).toBe('confirmed');
    const [post] = postsFor();
    expect(post).toBeDefined();
    const fields = ((post!.args.blocks as Block[]) ?? []).flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toContain('*Verified*\n:warning: email, unverified sender (DMARC fail for example.com); mailbox confirmed by code');
  });
});
