import { afterAll, beforeAll, expect, it } from 'vitest';
import { importTauRetail } from '../../src/connectors/tau-retail/import-tau-retail.js';
import { AnthropicWireServer, type RecordedRequest, type WireReply } from '../../test/support/anthropic-wire-server.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { anthropicEpisodeProviders, episodeConfig } from './episodes.js';
import { runEpisode } from './run-episode.js';
import { loadPristine, loadV1Cases, TAU_V1_DIR, tauDatasetPresent, type V1Case } from './tau-dataset.js';

type Turn = { text?: string; tools?: [string, Record<string, unknown>][] };

/**
 * Both sides of an episode are answered by one wire server: a request whose system prompt is the
 * customer role-play goes to the customer's script, every other request to the agent's.
 */
class EpisodeScript {
  readonly userRequests: RecordedRequest[] = [];
  readonly agentRequests: RecordedRequest[] = [];
  private tool = 0;
  constructor(
    private readonly user: string[],
    private readonly agent: Turn[],
  ) {}

  readonly route = (req: RecordedRequest): WireReply => {
    const isUser = String(req.body.system?.[0]?.text ?? '').includes('role-playing a customer');
    (isUser ? this.userRequests : this.agentRequests).push(req);
    if (isUser) {
      const text = this.user.shift();
      return text === undefined ? noScript('customer') : { status: 200, content: [{ type: 'text', text }], stop_reason: 'end_turn' };
    }
    const turn = this.agent.shift();
    if (!turn) return noScript('agent');
    const content: any[] = turn.text ? [{ type: 'text', text: turn.text }] : [];
    for (const [name, input] of turn.tools ?? []) content.push({ type: 'tool_use', id: `toolu_${++this.tool}`, name, input });
    return { status: 200, content, stop_reason: turn.tools ? 'tool_use' : 'end_turn' };
  };

  get leftover(): number {
    return this.user.length + this.agent.length;
  }
}

const noScript = (who: string): WireReply => ({ status: 500, error: { type: 'api_error', message: `no ${who} reply scripted` } });

const ORDER = '#W9284598';
const customerLines = () => [
  `Hi, I'd like to cancel my order ${ORDER}, I ordered it by mistake. My email is emma.kovacs2974@example.com.`,
  'Yes, please go ahead.',
  'Thank you, that is all. ###STOP###',
];
const agentTurns = (reason: string): Turn[] => [
  { tools: [['find_customer', { email: 'emma.kovacs2974@example.com' }]] },
  { tools: [['get_order_details', { order_id: ORDER }]] },
  { text: `Order ${ORDER} is pending. Shall I cancel it with the reason "${reason}"?` },
  { tools: [['cancel_order', { order_id: ORDER, reason }]] },
  { text: 'Your cancellation request is with our team.' },
  { text: `Order ${ORDER} has been cancelled and the refund is on its way.` },
];

describeEachDb('tau-retail episode against a simulated customer, over the Anthropic wire', (ctx) => {
  const server = new AnthropicWireServer();
  let url = '';
  let task: V1Case;
  let current: EpisodeScript | undefined;
  const present = tauDatasetPresent();

  beforeAll(async () => {
    url = await server.start();
    if (!present) return;
    await importTauRetail(ctx.db, TAU_V1_DIR);
    // v1 test #90: Emma Kovacs's camera order is cancelled as "ordered by mistake".
    task = loadV1Cases().find((c) => c.split === 'test' && c.index === 90)!;
  });
  afterAll(() => server.stop());

  async function play(script: EpisodeScript) {
    current = script;
    // Replies left queued by an earlier test route to whichever script is current.
    for (let i = 0; i < 20; i++) server.enqueue((req) => current!.route(req));
    const config = episodeConfig({ ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: url, ANTHROPIC_MODEL: 'claude-sonnet-4-6' });
    const providers = anthropicEpisodeProviders(config);
    return runEpisode({ db: ctx.db, config, agentProvider: providers.agent, userProvider: providers.user, pristine: loadPristine() }, task);
  }

  it.skipIf(!present)('passes when the agent makes the write the task expects, and leaves the database as it was', async () => {
    const script = new EpisodeScript(customerLines(), agentTurns('ordered by mistake'));
    const result = await play(script);

    expect(result.stateProblems).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.endedBy).toBe('user_stop');
    expect(script.leftover).toBe(0);
    // The customer model sees the task's instruction, no tools, and the agent's words as its input.
    expect(script.userRequests).toHaveLength(3);
    expect(script.userRequests[0]!.body.system[0].text).toContain('Emma Kovacs');
    expect(script.userRequests.every((r) => r.body.tools === undefined)).toBe(true);
    expect(script.userRequests[2]!.body.messages.at(-1).content[0].text).toMatch(/with our team[\s\S]*has been cancelled/);
    // The agent is the customer persona: no refund tool, and the customer's first line reaches it.
    expect(script.agentRequests[0]!.body.tools.map((t: any) => t.name)).not.toContain('refund_order');
    expect(JSON.stringify(script.agentRequests[0]!.body.messages)).toContain('ordered it by mistake');
    expect(result.transcript.map((m) => m.from)).toEqual(['customer', 'agent', 'customer', 'agent', 'customer']);

    const { rows } = await ctx.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [ORDER]);
    expect(rows[0]!.status).toBe('pending');
  });

  it.skipIf(!present)('fails when the agent writes something else than the expected end state', async () => {
    const script = new EpisodeScript(customerLines(), agentTurns('no longer needed'));
    const result = await play(script);

    expect(result.passed).toBe(false);
    expect(result.stateProblems.join('\n')).toMatch(/cancel_reason/);
    expect(result.endedBy).toBe('user_stop');
  });

  it.skipIf(!present)('ends the episode when the agent hands off, and fails a task whose write never happened', async () => {
    const script = new EpisodeScript(
      [customerLines()[0]!],
      [{ tools: [['handoff_to_human', { summary: 'Customer wants to cancel an order.' }]] }, { text: 'A colleague will take over.' }],
    );
    const result = await play(script);

    expect(result.endedBy).toBe('handoff');
    expect(result.passed).toBe(false);
    expect(result.stateProblems.join('\n')).toMatch(/W9284598/);
  });
});
