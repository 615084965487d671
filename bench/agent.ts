/**
 * bench:agent — tool dispatch overhead of the agent on real PostgreSQL with the scripted model,
 * and the size of what every request sends before the conversation (system prompt + tool
 * definitions) per persona. Uses DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 * (a scratch database is created and dropped). Prints figures; asserts nothing.
 */
import pg from 'pg';
import { createAgentService } from '../src/agent/agent-service.js';
import { createApprovalService } from '../src/agent/approval-service.js';
import { renderPrompt } from '../src/agent/prompt-library.js';
import { ScriptedProvider } from '../src/agent/providers/scripted-provider.js';
import { executeToolCall } from '../src/agent/tool-executor.js';
import { loadConfig } from '../src/config/config.js';
import { migrate } from '../src/db/migrate.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { customerToolset } from '../src/tools/customer-toolset.js';
import { opsToolset } from '../src/tools/ops-toolset.js';
import { ALICE, seedAgentFixture } from '../test/support/agent-fixture.js';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `orderops_bench_agent_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const db = createPostgresDb(url.toString());

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p95 ${pct(xs, 95).toFixed(2)} ms (n=${xs.length})`;

try {
  await migrate(db);
  await seedAgentFixture(db);
  const config = loadConfig({ APPROVERS: 'U_BENCH_APPROVER', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const approvals = createApprovalService({ db, config });
  const toolset = opsToolset();
  const ctx = { db, config, actor: { kind: 'agent' as const, id: 'bench' }, persona: 'ops' as const };
  const requester = { kind: 'person' as const, id: 'U_BENCH' };
  const verification = { verified: true, summary: 'benchmark operator' };
  const N = Number(process.env.BENCH_N ?? 300);

  // Tool dispatch alone: lookup, zod parse, gate, one domain read, JSON.
  const dispatch: number[] = [];
  for (let i = 0; i < N + 20; i++) {
    const t = performance.now();
    await executeToolCall({ toolset, ctx, approvals, requester, verification, origin: { channel: 'api', threadKey: 'bench' } }, { id: `t${i}`, name: 'get_order_details', input: { order_id: 'W1000001' } });
    if (i >= 20) dispatch.push(performance.now() - t);
  }
  // The domain read by itself, to separate our overhead from the query.
  const { loadOrder } = await import('../src/domain/orders/order-repository.js');
  const bare: number[] = [];
  for (let i = 0; i < N + 20; i++) {
    const t = performance.now();
    await loadOrder(db, '#W1000001');
    if (i >= 20) bare.push(performance.now() - t);
  }
  // A gated call: dry run in a rolled-back transaction, preview diff, approval row.
  const gated: number[] = [];
  for (let i = 0; i < Math.min(N, 100); i++) {
    const t = performance.now();
    await executeToolCall(
      { toolset, ctx, approvals, requester, verification, origin: { channel: 'api', threadKey: `bench-gate-${i}` } },
      { id: `g${i}`, name: 'cancel_order', input: { order_id: '#W1000001', reason: 'no longer needed' } },
    );
    gated.push(performance.now() - t);
  }
  // A whole turn with the scripted model: conversation load/store, one tool call, final text, usage row.
  const turns: number[] = [];
  for (let i = 0; i < Math.min(N, 100); i++) {
    const provider = new ScriptedProvider([{ toolCalls: [{ name: 'get_order_details', input: { order_id: '#W1000002' } }] }, { text: 'Delivered.' }]);
    const agent = createAgentService({ db, config, provider });
    const t = performance.now();
    await agent.runTurn({ channel: 'api', threadKey: `bench-turn-${i}`, text: 'where is W1000002', requester, verification, persona: 'ops' });
    turns.push(performance.now() - t);
  }

  const size = (persona: 'ops' | 'customer') => {
    const system = renderPrompt(persona === 'ops' ? 'ops-system' : 'customer-system', {
      store_name: config.STORE_NAME,
      today: '2025-01-01',
      channel: 'email',
      customer_id: ALICE,
    });
    const tools = (persona === 'ops' ? opsToolset() : customerToolset(ALICE)).specs();
    const toolsJson = JSON.stringify(tools);
    // No tokenizer is available offline: ~4 characters per token for English prose and JSON.
    return { tools: tools.length, systemChars: system.length, toolChars: toolsJson.length, estTokens: Math.round((system.length + toolsJson.length) / 4) };
  };

  console.log(`database: PostgreSQL (${url.host}), scripted model`);
  console.log(`tool dispatch (get_order_details via executeToolCall): ${fmt(dispatch)}`);
  console.log(`  of which the domain read (loadOrder):              ${fmt(bare)}`);
  console.log(`  dispatch overhead (p50 difference):                ${(pct(dispatch, 50) - pct(bare, 50)).toFixed(2)} ms`);
  console.log(`gated call (cancel_order → preview + approval row):  ${fmt(gated)}`);
  console.log(`full turn (scripted: 1 tool call + reply, stored):   ${fmt(turns)}`);
  for (const persona of ['ops', 'customer'] as const) {
    const s = size(persona);
    console.log(`${persona} prompt + tools: ${s.tools} tools, system ${s.systemChars} chars, tool definitions ${s.toolChars} chars, ~${s.estTokens} tokens (estimate, 4 chars/token)`);
  }
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
