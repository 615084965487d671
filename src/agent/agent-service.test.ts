import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { ALICE, BOB, seedAgentFixture } from '../../test/support/agent-fixture.js';
import { loadConfig } from '../config/config.js';
import { createAgentService } from './agent-service.js';
import type { ModelProvider } from './providers/model-provider.js';
import { OfflineProvider } from './providers/offline-provider.js';
import { ScriptedProvider } from './providers/scripted-provider.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER', AGENT_MAX_ITERATIONS: '3' } as NodeJS.ProcessEnv);
const alice = { kind: 'person' as const, id: 'alice.ng@example.com' };

describeEachDb('agent service', (ctx) => {
  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
  });

  it('ends a turn waiting on approval, then reports the decision in the same thread exactly once', async () => {
    const provider = new ScriptedProvider([
      { toolCalls: [{ name: 'cancel_order', input: { order_id: 'W1000005', reason: 'ordered by mistake' } }] },
      { text: 'Your cancellation is waiting for approval by our team.' },
      { text: 'Your order has been cancelled and refunded.' },
    ]);
    const agent = createAgentService({ db: ctx.db, config, provider });
    const turn = await agent.runTurn({ channel: 'email', threadKey: '<t1@example.com>', text: 'cancel W1000005 please, yes I confirm', requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    expect(turn.approvals).toHaveLength(1);
    expect(turn.reply).toMatch(/waiting for approval/);
    expect(provider.requests.at(-1)!.toolChoice).toBe('none');
    const status = await ctx.db.query<{ status: string }>(`SELECT status FROM orders WHERE id = '#W1000005'`);
    expect(status.rows[0]!.status).toBe('pending');

    const decided = await agent.decide({ id: turn.approvals[0]!.id, decision: 'approve', decider: { kind: 'person', id: 'U_APPROVER' } });
    expect(decided.status).toBe('executed');
    expect(decided.followUp).toEqual({ reply: 'Your order has been cancelled and refunded.', channel: 'email', threadKey: '<t1@example.com>' });
    const resumed = await ctx.db.query<{ content: { text?: string }[] }>(
      `SELECT content FROM agent_messages WHERE conversation_id = $1 AND role = 'user' ORDER BY id DESC LIMIT 1`,
      [turn.conversationId],
    );
    expect(resumed.rows[0]!.content[0]!.text).toMatch(/executed by U_APPROVER/);
    expect(await agent.resumeAfterDecision(turn.approvals[0]!.id)).toBeNull();
    const messages = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_messages WHERE conversation_id = $1', [turn.conversationId]);
    expect(messages.rows[0]!.n).toBe(6);
  });

  it('leaves the follow-up claimable when the model call fails, and posts it exactly once when retried', async () => {
    const scripted = new ScriptedProvider([
      { toolCalls: [{ name: 'cancel_order', input: { order_id: 'W1000004', reason: 'ordered by mistake' } }] },
      { text: 'Your cancellation is waiting for approval.' },
      { text: 'Order #W1000004 is cancelled.' },
    ]);
    let calls = 0;
    // The model API failing once, as an overloaded endpoint does after the SDK gave up retrying.
    const failingOnce: ModelProvider = {
      name: 'scripted',
      model: 'scripted',
      complete: async (request) => {
        if (calls++ === 2) throw new Error('model unavailable');
        return scripted.complete(request);
      },
    };
    const agent = createAgentService({ db: ctx.db, config, provider: failingOnce });
    const turn = await agent.runTurn({ channel: 'email', threadKey: '<fail-once@example.com>', text: 'cancel W1000004, I confirm', requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    const id = turn.approvals[0]!.id;
    await expect(agent.decide({ id, decision: 'approve', decider: { kind: 'person', id: 'U_APPROVER' } })).rejects.toThrow(/model unavailable/);
    expect((await agent.approvals.getApproval(id))!.status).toBe('executed');

    // A claim held by another caller blocks; one left by a caller that died mid-call lapses.
    await ctx.db.query(`UPDATE approvals SET resume_claimed_until = now() + interval '1 minute' WHERE id = $1`, [id]);
    expect(await agent.resumeAfterDecision(id)).toBeNull();
    await ctx.db.query(`UPDATE approvals SET resume_claimed_until = now() - interval '1 second' WHERE id = $1`, [id]);

    // Retried by two callers at once (a job retry and the email sweep): one of them posts it.
    const retries = await Promise.all([agent.resumeAfterDecision(id), agent.resumeAfterDecision(id)]);
    expect(retries.filter((f) => f !== null)).toEqual([
      { reply: 'Order #W1000004 is cancelled.', channel: 'email', threadKey: '<fail-once@example.com>' },
    ]);
    expect(await agent.resumeAfterDecision(id)).toBeNull();
    const outcomes = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM agent_messages WHERE conversation_id = $1 AND role = 'user' AND content::text LIKE '%executed by U_APPROVER%'`,
      [turn.conversationId],
    );
    expect(outcomes.rows[0]!.n).toBe(1);
  });

  it('keeps a thread bound to the customer it started with', async () => {
    const agent = createAgentService({ db: ctx.db, config, provider: new OfflineProvider() });
    await agent.runTurn({ channel: 'email', threadKey: '<bound@example.com>', text: 'help', requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    await expect(
      agent.runTurn({ channel: 'email', threadKey: '<bound@example.com>', text: 'help', requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: BOB }),
    ).rejects.toThrow(/belongs to another customer/);
    await expect(agent.runTurn({ channel: 'email', threadKey: 'x', text: 'hi', requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer' })).rejects.toThrow(/customerId/);
  });

  it('stops after the iteration cap and hands the thread to a person', async () => {
    const loop = Array.from({ length: 5 }, () => ({ toolCalls: [{ name: 'list_product_types', input: {} }] }));
    const agent = createAgentService({ db: ctx.db, config, provider: new ScriptedProvider(loop) });
    const turn = await agent.runTurn({ channel: 'api', threadKey: 'cap', text: 'loop', requester: { kind: 'person', id: 'U1' }, verification: { verified: true, summary: 'Slack user U1 (signed request)' }, persona: 'ops' });
    expect(turn.usage.iterations).toBe(3);
    expect(turn.handedOff).toBe(true);
    const { rows } = await ctx.db.query<{ handed_off_at: Date | null }>('SELECT handed_off_at FROM agent_conversations WHERE id = $1', [turn.conversationId]);
    expect(rows[0]!.handed_off_at).not.toBeNull();
  });

  it('offline model: answers where-is-my-order from the tools, greeting the customer by name', async () => {
    const agent = createAgentService({ db: ctx.db, config, provider: new OfflineProvider() });
    const turn = await agent.runTurn({ channel: 'email', threadKey: '<wismo@example.com>', text: 'wher is my ordr W1000003?', requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    expect(turn.toolCalls.map((t) => t.name)).toEqual(['get_customer_details', 'get_order_details']);
    expect(turn.reply).toMatch(/^Hi Alice,\s+Order #W1000003 is being prepared for shipment.*TRK1000003/s);
    // The note about running without a language model is for staff only.
    expect(turn.reply).not.toMatch(/offline assistant/);
    expect(turn.provider).toBe('offline');
  });

  it('offline model: tells staff it is offline and says plainly what it cannot do', async () => {
    const agent = createAgentService({ db: ctx.db, config, provider: new OfflineProvider() });
    const turn = await agent.runTurn({ channel: 'api', threadKey: 'offline-refusal', text: 'set up a new warehouse in Ohio', requester: { kind: 'person', id: 'U1' }, verification: { verified: true, summary: 'Slack user U1 (signed request)' }, persona: 'ops' });
    expect(turn.reply).toMatch(/^I can't do that offline/);
    expect(turn.reply).not.toMatch(/reply in this thread/);
    expect(turn.reply).toMatch(/offline assistant/);
    expect(turn.handedOff).toBe(true);
  });
});
