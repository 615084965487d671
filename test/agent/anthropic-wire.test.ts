import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgentService } from '../../src/agent/agent-service.js';
import { AnthropicProvider } from '../../src/agent/providers/anthropic-provider.js';
import { loadConfig } from '../../src/config/config.js';
import { ALICE, seedAgentFixture } from '../support/agent-fixture.js';
import { AnthropicWireServer } from '../support/anthropic-wire-server.js';
import { describeEachDb } from '../support/test-db.js';

describeEachDb('anthropic provider over the wire', (ctx) => {
  const server = new AnthropicWireServer();
  let url = '';
  beforeAll(async () => {
    url = await server.start();
    await seedAgentFixture(ctx.db);
  });
  afterAll(() => server.stop());

  it('runs a customer turn through the real SDK: retries 429 and 529, round-trips tool_use and tool_result, caches prompt and tools, records usage', async () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: url, ANTHROPIC_MODEL: 'claude-sonnet-4-5' } as NodeJS.ProcessEnv);
    server.enqueue(
      { status: 429, error: { type: 'rate_limit_error', message: 'slow down' } },
      { status: 529, error: { type: 'overloaded_error', message: 'overloaded' } },
      {
        status: 200,
        content: [
          { type: 'text', text: 'Let me look that up.' },
          { type: 'tool_use', id: 'toolu_a', name: 'get_order_details', input: { order_id: 'W1000002' } },
          { type: 'tool_use', id: 'toolu_b', name: 'get_order_details', input: { order_id: '#W2000001' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 1200, cache_creation_input_tokens: 3000 },
      },
      {
        status: 200,
        content: [{ type: 'text', text: 'Your order #W1000002 has been delivered; #W2000001 is not on your account.' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 300, cache_read_input_tokens: 3000, output_tokens: 40 },
      },
    );
    const agent = createAgentService({
      db: ctx.db,
      config,
      provider: new AnthropicProvider({ apiKey: 'sk-test', model: config.ANTHROPIC_MODEL, baseURL: url, maxRetries: 3 }),
    });
    const turn = await agent.runTurn({
      channel: 'email',
      threadKey: '<wire-1@example.com>',
      text: 'Where are my orders W1000002 and W2000001?',
      requester: { kind: 'person', id: 'alice.ng@example.com' },
      verification: { verified: true, summary: 'email, DMARC pass for example.com' },
      persona: 'customer',
      customerId: ALICE,
    });
    expect(turn.reply).toMatch(/delivered/);
    expect(turn.provider).toBe('anthropic');
    expect(server.requests).toHaveLength(4);
    expect(server.requests[1]!.headers['x-stainless-retry-count']).toBe('1');
    expect(server.requests[2]!.headers['x-stainless-retry-count']).toBe('2');

    const first = server.requests[0]!.body;
    expect(first.system).toEqual([expect.objectContaining({ type: 'text', cache_control: { type: 'ephemeral' } })]);
    expect(first.tools.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    expect(first.tools.slice(0, -1).every((t: any) => t.cache_control === undefined)).toBe(true);
    expect(first.tools.map((t: any) => t.name)).not.toContain('refund_order');
    expect(first.tools.find((t: any) => t.name === 'cancel_order').input_schema.properties.reason.enum).toEqual([
      'no longer needed',
      'ordered by mistake',
    ]);

    const last = server.requests[3]!.body;
    const results = last.messages.at(-1).content;
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_a' });
    expect(results[0].is_error).toBeUndefined();
    expect(JSON.parse(results[0].content)).toMatchObject({ order_id: '#W1000002', status: 'delivered' });
    expect(results[1]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_b', is_error: true });
    expect(results[1].content).toMatch(/not on your account/);

    expect(turn.usage).toMatchObject({ inputTokens: 1500, cacheWriteTokens: 3000, cacheReadTokens: 3000, iterations: 2 });
    expect(turn.usage.costUsd).toBeGreaterThan(0);
    const { rows } = await ctx.db.query<{ provider: string; input_tokens: number; cost_usd: string }>(
      'SELECT provider, input_tokens, cost_usd::text FROM agent_turns WHERE conversation_id = $1',
      [turn.conversationId],
    );
    expect(rows).toEqual([{ provider: 'anthropic', input_tokens: 1500, cost_usd: expect.stringMatching(/^0\.0\d+/) }]);
    const stored = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM agent_messages WHERE conversation_id = $1', [turn.conversationId]);
    expect(stored.rows[0]!.n).toBe(4);
  });

  it('ends the turn on a refusal with the refusal text', async () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: url } as NodeJS.ProcessEnv);
    server.enqueue({ status: 200, content: [], stop_reason: 'refusal' });
    const agent = createAgentService({ db: ctx.db, config, provider: new AnthropicProvider({ apiKey: 'sk-test', model: 'claude-sonnet-4-5', baseURL: url }) });
    const turn = await agent.runTurn({ channel: 'api', threadKey: 'refusal-1', text: 'something unsafe', requester: { kind: 'person', id: 'U1' }, verification: { verified: true, summary: 'Slack user U1 (signed request)' }, persona: 'ops' });
    expect(turn.reply).toMatch(/can't help with that/);
    expect(turn.usage.iterations).toBe(1);
  });

  it('hands the thinking of the turn in progress back unchanged, and leaves the thinking of earlier turns out', async () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: url } as NodeJS.ProcessEnv);
    expect(config.ANTHROPIC_MODEL).toBe('claude-sonnet-5-5');
    const thinking = { type: 'thinking', thinking: 'The customer wants the status of W1000002.', signature: 'sig-turn-1' };
    const redacted = { type: 'redacted_thinking', data: 'opaque-turn-1' };
    server.enqueue(
      {
        status: 200,
        content: [thinking, redacted, { type: 'tool_use', id: 'toolu_t1', name: 'get_order_details', input: { order_id: 'W1000002' } }],
        stop_reason: 'tool_use',
      },
      { status: 200, content: [{ type: 'thinking', thinking: 'Delivered.', signature: 'sig-turn-1b' }, { type: 'text', text: 'Order #W1000002 was delivered.' }], stop_reason: 'end_turn' },
      { status: 200, content: [{ type: 'text', text: 'You are welcome.' }], stop_reason: 'end_turn' },
    );
    const agent = createAgentService({ db: ctx.db, config, provider: new AnthropicProvider({ apiKey: 'sk-test', model: config.ANTHROPIC_MODEL, baseURL: url }) });
    const say = (text: string) =>
      agent.runTurn({
        channel: 'email',
        threadKey: '<wire-thinking@example.com>',
        text,
        requester: { kind: 'person', id: 'alice.ng@example.com' },
        verification: { verified: true, summary: 'email, DMARC pass for example.com' },
        persona: 'customer',
        customerId: ALICE,
      });
    const before = server.requests.length;
    const first = await say('Where is W1000002?');
    expect(first.reply).toBe('Order #W1000002 was delivered.');
    const toolLoop = server.requests[before + 1]!.body;
    expect(toolLoop.model).toBe('claude-sonnet-5-5');
    expect(toolLoop.messages.at(-2)).toEqual({
      role: 'assistant',
      content: [thinking, redacted, { type: 'tool_use', id: 'toolu_t1', name: 'get_order_details', input: { order_id: 'W1000002' } }],
    });

    await say('Thanks!');
    const nextTurn = server.requests[before + 2]!.body;
    const blockTypes = nextTurn.messages.flatMap((m: { content: { type: string }[] }) => m.content.map((b) => b.type));
    expect(blockTypes).not.toContain('thinking');
    expect(blockTypes).not.toContain('redacted_thinking');
    expect(blockTypes).toContain('tool_use');
  });
});
