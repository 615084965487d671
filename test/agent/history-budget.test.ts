import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgentService } from '../../src/agent/agent-service.js';
import { AnthropicProvider } from '../../src/agent/providers/anthropic-provider.js';
import type { ChatMessage, ModelRequest, ModelResponse } from '../../src/agent/providers/model-provider.js';
import { OfflineProvider } from '../../src/agent/providers/offline-provider.js';
import { loadConfig } from '../../src/config/config.js';
import { ALICE, seedAgentFixture } from '../support/agent-fixture.js';
import { AnthropicWireServer, type RecordedRequest } from '../support/anthropic-wire-server.js';
import { describeEachDb } from '../support/test-db.js';

const alice = { kind: 'person' as const, id: 'alice.ng@example.com' };
/** AGENT_HISTORY_TOKENS counts about 3 bytes of message JSON per token. */
const BYTES_PER_TOKEN = 3;
const padding = (n: number) => 'I am writing again about my order, with a long explanation of everything that happened so far. '.repeat(n);

type WireBlock = { type: string; id?: string; tool_use_id?: string };
type WireMessage = { role: 'user' | 'assistant'; content: WireBlock[] };

/** What the Messages API insists on: a user turn first, and every tool_result answering a tool_use of the message before. */
function expectValidConversation(messages: WireMessage[]): void {
  expect(messages[0]!.role).toBe('user');
  expect(messages[0]!.content.some((b) => b.type === 'tool_result')).toBe(false);
  messages.forEach((m, i) => {
    for (const block of m.content.filter((b) => b.type === 'tool_result')) {
      const previous = messages[i - 1];
      expect(previous?.role).toBe('assistant');
      expect(previous?.content.some((b) => b.type === 'tool_use' && b.id === block.tool_use_id)).toBe(true);
    }
  });
}

describeEachDb('conversation history budget (AGENT_HISTORY_TOKENS)', (ctx) => {
  const wire = new AnthropicWireServer();
  let url = '';
  beforeAll(async () => {
    url = await wire.start();
    await seedAgentFixture(ctx.db);
  });
  afterAll(() => wire.stop());

  it('keeps every request to Claude within the budget by leaving out whole old turns, tool calls and all', async () => {
    const budget = 2000;
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: url, AGENT_HISTORY_TOKENS: String(budget) } as NodeJS.ProcessEnv);
    const agent = createAgentService({ db: ctx.db, config, provider: new AnthropicProvider({ apiKey: 'sk-test', model: 'claude-sonnet-4-5', baseURL: url }) });
    let n = 0;
    const turns = 12;
    for (let i = 1; i <= turns; i++) {
      wire.enqueue(
        () => ({ status: 200, content: [{ type: 'tool_use', id: `toolu_h${++n}`, name: 'get_order_details', input: { order_id: 'W1000002' } }], stop_reason: 'tool_use' }),
        () => ({ status: 200, content: [{ type: 'text', text: `Answer ${i}: your order #W1000002 was delivered.` }], stop_reason: 'end_turn' }),
      );
      await agent.runTurn({ channel: 'api', threadKey: 'history-wire', text: `TURN-${i} ${padding(8)}`, requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    }
    const requests: RecordedRequest[] = wire.requests.filter((r) => JSON.stringify(r.body.messages).includes('TURN-1 '));
    expect(requests.length).toBeGreaterThan(0);
    const all = wire.requests.slice(-turns * 2);
    for (const r of all) {
      expect(Buffer.byteLength(JSON.stringify(r.body.messages))).toBeLessThanOrEqual(budget * BYTES_PER_TOKEN);
      expectValidConversation(r.body.messages);
    }
    const last = all.at(-1)!.body;
    // The turn in progress is whole: its question, the tool call and its result.
    expect(JSON.stringify(last.messages.at(-3))).toContain(`TURN-${turns} `);
    expect(last.messages.at(-1).content[0]).toMatchObject({ type: 'tool_result', tool_use_id: `toolu_h${n}` });
    expect(JSON.stringify(last.messages)).not.toContain('TURN-1 ');
    expect(last.system[0].text).toMatch(/earlier turns of this conversation are left out .*\(\d+ left out; tools called in them: get_order_details ×\d+\)/i);
    // Nothing is lost: every message is still stored.
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM agent_messages m JOIN agent_conversations c ON c.id = m.conversation_id WHERE c.thread_key = 'history-wire'`,
    );
    expect(rows[0]!.n).toBe(turns * 4);
  });

  it('sends a short conversation whole and says nothing about left-out turns', async () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: url, AGENT_HISTORY_TOKENS: '50000' } as NodeJS.ProcessEnv);
    const agent = createAgentService({ db: ctx.db, config, provider: new AnthropicProvider({ apiKey: 'sk-test', model: 'claude-sonnet-4-5', baseURL: url }) });
    for (const i of [1, 2]) {
      wire.enqueue({ status: 200, content: [{ type: 'text', text: `ok ${i}` }], stop_reason: 'end_turn' });
      await agent.runTurn({ channel: 'api', threadKey: 'history-short', text: `SHORT-${i}`, requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    }
    const last = wire.requests.at(-1)!.body;
    expect(last.messages.map((m: WireMessage) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(last.system[0].text).not.toMatch(/left out/);
  });

  it('offline model: a long conversation stays within the budget and a confirmation still finds what it confirms', async () => {
    const budget = 3000;
    const seen: ModelRequest[] = [];
    class RecordingOffline extends OfflineProvider {
      override async complete(request: ModelRequest): Promise<ModelResponse> {
        seen.push(request);
        return super.complete(request);
      }
    }
    const config = loadConfig({ AGENT_HISTORY_TOKENS: String(budget), APPROVERS: 'U_APPROVER' } as NodeJS.ProcessEnv);
    const agent = createAgentService({ db: ctx.db, config, provider: new RecordingOffline() });
    const say = (text: string) => agent.runTurn({ channel: 'email', threadKey: '<history-offline@example.com>', text, requester: alice, verification: { verified: true, summary: 'email, DMARC pass for example.com' }, persona: 'customer', customerId: ALICE });
    for (let i = 0; i < 10; i++) await say(`Where is my order W1000003? ${padding(20)}`);
    const asked = await say('Please cancel order W1000005, I ordered it by mistake.');
    expect(asked.reply).toMatch(/Reply YES to confirm/);
    const confirmed = await say('yes');
    expect(confirmed.approvals).toHaveLength(1);
    expect(confirmed.approvals[0]!.tool).toBe('cancel_order');
    for (const r of seen) {
      expect(Buffer.byteLength(JSON.stringify(r.messages))).toBeLessThanOrEqual(budget * BYTES_PER_TOKEN);
      expectValidConversation(r.messages as ChatMessage[] as unknown as WireMessage[]);
    }
  });
});
