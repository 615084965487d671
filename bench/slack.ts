/**
 * Slack benchmark: N concurrent, correctly signed app_mention events POSTed to /slack/events on
 * the API server (Fastify, HTTP receiver), answered by the offline model with real tool calls,
 * replies delivered to a local Slack Web API on 127.0.0.1. Reports the ack latency (HTTP
 * response to Slack) p50 / p99 / max, and the time until every reply reached chat.postMessage.
 *
 * Each database runs in a process of its own, one after another in the same invocation:
 * `pglite-thread` (embedded PGlite on the app's own thread, the same-run baseline),
 * `pglite-worker` (PGlite in its worker thread, as `npm start` runs it) and `postgres`
 * (a scratch database on DATABASE_URL or TEST_POSTGRES_URL, when one is set). The last line
 * printed is JSON: { loadavg, mentions, results: { <db>: { p50, p99, max, ... } } }.
 *
 * `--cpu-load N` keeps N cores busy with spinning processes during each configuration's run, the
 * same load for each, for the figures under load.
 *
 *   npm run bench:slack -- [--mentions 50] [--slack-latency-ms 20] [--cpu-load 0] [--db pglite-thread|pglite-worker|postgres]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OfflineProvider } from '../src/agent/providers/offline-provider.js';
import { migrate } from '../src/db/migrate.js';
import type { Db } from '../src/db/db.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPgliteWorkerDb } from '../src/db/pglite-worker-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { createScratchDatabase } from '../test/support/scratch-postgres-database.js';
import { ALICE, seedAgentFixture } from '../test/support/agent-fixture.js';
import { LocalSlackServer } from '../test/slack/local-slack-server.js';
import { appMentionEvent, eventCallback, slackTs } from '../test/slack/slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness } from '../test/slack/slack-test-harness.js';
import { startCpuLoad } from './cpu-load.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} must be a whole number >= 0`);
    process.exit(2);
  }
  return v;
}

const MENTIONS = arg('mentions', 50);
const SLACK_LATENCY_MS = arg('slack-latency-ms', 20);
const CPU_LOAD = arg('cpu-load', 0);
const ACK_BUDGET_MS = 3000;
const DATABASES = ['pglite-thread', 'pglite-worker', 'postgres'] as const;
type Database = (typeof DATABASES)[number];
const POSTGRES_URL = process.env.DATABASE_URL ?? process.env.TEST_POSTGRES_URL;

function dbArg(): Database | undefined {
  const i = process.argv.indexOf('--db');
  if (i < 0) return undefined;
  const v = process.argv[i + 1] as Database;
  if (!DATABASES.includes(v)) {
    console.error(`--db must be one of ${DATABASES.join(', ')}`);
    process.exit(2);
  }
  return v;
}

interface Result {
  p50: number;
  p99: number;
  max: number;
  late: number;
  failures: number;
  replies: number;
  allAckedMs: number;
  lastReplyMs: number;
}

async function openBenchDb(kind: Database): Promise<{ db: Db; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderops-bench-slack-'));
  if (kind === 'pglite-thread') return { db: await createPgliteDb({ dataDir }), drop: async () => {} };
  if (kind === 'pglite-worker') return { db: await createPgliteWorkerDb({ dataDir }), drop: async () => {} };
  if (!POSTGRES_URL) throw new Error('--db postgres needs DATABASE_URL or TEST_POSTGRES_URL');
  const scratch = await createScratchDatabase(POSTGRES_URL, 'orderops_bench_slack');
  return { db: createPostgresDb(scratch.url), drop: () => scratch.drop() };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

async function runOne(kind: Database): Promise<Result> {
  const { db, drop } = await openBenchDb(kind);
  await migrate(db);
  await seedAgentFixture(db);
  const { rows: orders } = await db.query<{ id: string }>('SELECT id FROM orders WHERE customer_id = $1 ORDER BY seq', [ALICE]);
  if (orders.length === 0) throw new Error('the agent fixture has no orders');

  const local = new LocalSlackServer({ latencyMs: SLACK_LATENCY_MS });
  const senders = Array.from({ length: MENTIONS }, (_, i) => `UOPS${String(i).padStart(5, '0')}`);
  // The senders are the ops team through one user group, as a real workspace would list them.
  local.addUserGroup('SBENCHOPS', senders);
  const h = await startSlackHarness({ db, provider: new OfflineProvider(), local, env: { LOG_LEVEL: 'silent', SLACK_OPS_USERS: 'SBENCHOPS' } });
  const url = `${h.baseUrl}/slack/events`;

  const mentions = Array.from({ length: MENTIONS }, (_, i) => {
    const ts = slackTs();
    const channel = `CBENCH${String(i % 5).padStart(3, '0')}`;
    const order = orders[i % orders.length]!.id;
    return { ts, body: eventCallback(appMentionEvent({ user: senders[i]!, channel, text: `what is the status of order ${order}?`, ts })) };
  });

  // Slack is another machine: the mentions are sent from a separate process, so the sender's own
  // work does not share this process's event loop with the app it measures.
  const bodiesFile = join(mkdtempSync(join(tmpdir(), 'orderops-bench-slack-bodies-')), 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(mentions.map((m) => m.body)));
  const sender = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./slack-mention-sender.ts', import.meta.url)), url, SIGNING_SECRET, bodiesFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const start = performance.now();
  let out = '';
  sender.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => sender.on('close', resolve));
  if (code !== 0) throw new Error(`the mention sender exited with ${code}`);
  const answers = JSON.parse(out.trim().split('\n').at(-1)!) as { status: number; ms: number }[];
  const allAcked = performance.now() - start;
  const wanted = new Set(mentions.map((m) => m.ts));
  const replyAt = new Map<string, number>();
  const deadline = Date.now() + 120_000;
  while (replyAt.size < wanted.size && Date.now() < deadline) {
    for (const c of h.local.callsOf('chat.postMessage')) {
      const t = String(c.args.thread_ts);
      if (wanted.has(t) && !replyAt.has(t)) replyAt.set(t, c.at);
    }
    if (replyAt.size < wanted.size) await new Promise((r) => setTimeout(r, 20));
  }
  const allReplied = performance.now() - start;
  await h.slack.settled();
  await h.queue.drain();

  const acks = answers.map((a) => a.ms).sort((a, b) => a - b);
  const failures = answers.filter((a) => a.status !== 200).length;
  const late = acks.filter((ms) => ms > ACK_BUDGET_MS).length;
  const sample = h.local.callsOf('chat.postMessage').find((c) => wanted.has(String(c.args.thread_ts)));
  console.log(`Slack bench: ${MENTIONS} concurrent signed app_mention events, offline model, ${kind}, in-process queue, local Slack latency ${SLACK_LATENCY_MS} ms, ${CPU_LOAD} spinning processes`);
  console.log(`  ack latency   p50 ${quantile(acks, 0.5).toFixed(1)} ms   p99 ${quantile(acks, 0.99).toFixed(1)} ms   max ${acks.at(-1)!.toFixed(1)} ms   (budget ${ACK_BUDGET_MS} ms; over budget: ${late}; non-200: ${failures})`);
  console.log(`  all acked in  ${allAcked.toFixed(0)} ms (sender process start included)`);
  console.log(`  replies       ${replyAt.size}/${MENTIONS} delivered in the mention's thread; last after ${allReplied.toFixed(0)} ms`);
  console.log(`  sample reply  ${String(sample?.args.text ?? '(none)').split('\n')[0]!.slice(0, 120)}`);
  await h.close();
  await db.close();
  await drop();
  return { p50: quantile(acks, 0.5), p99: quantile(acks, 0.99), max: acks.at(-1)!, late, failures, replies: replyAt.size, allAckedMs: allAcked, lastReplyMs: allReplied };
}

const round = (r: Result): Result => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 10) / 10])) as unknown as Result;

/** One database per process, so neither JIT warm-up nor a previous run's garbage favours a later one. */
function runInChild(kind: Database): Promise<Result> {
  const resultFile = join(mkdtempSync(join(tmpdir(), 'orderops-bench-slack-result-')), 'result.json');
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--db', kind, '--result-file', resultFile], {
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as Result) : reject(new Error(`the ${kind} run exited with ${code}`)))),
  );
}

async function main() {
  const only = dbArg();
  if (only) {
    const i = process.argv.indexOf('--result-file');
    // Run from the three-configuration run, the parent already keeps the load going.
    const load = startCpuLoad(i >= 0 ? 0 : CPU_LOAD);
    const result = round(await runOne(only).finally(() => load.stop()));
    if (i >= 0) writeFileSync(process.argv[i + 1]!, JSON.stringify(result));
    else console.log(JSON.stringify({ loadavg: readFileSync('/proc/loadavg', 'utf8').trim(), mentions: MENTIONS, results: { [only]: result } }));
    if (result.late > 0 || result.failures > 0 || result.replies < MENTIONS) {
      console.error('FAILED: an ack was late or refused, or a reply did not arrive');
      process.exit(1);
    }
    return;
  }
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  const results: Partial<Record<Database, Result>> = {};
  for (const kind of DATABASES) {
    if (kind === 'postgres' && !POSTGRES_URL) {
      console.log('postgres: skipped (set DATABASE_URL or TEST_POSTGRES_URL)');
      continue;
    }
    const load = startCpuLoad(CPU_LOAD);
    try {
      results[kind] = await runInChild(kind);
    } finally {
      await load.stop();
    }
  }
  const base = results['pglite-thread']!;
  console.log(`\nack p99 against the same-run baseline (PGlite on the app's thread, p99 ${base.p99} ms):`);
  for (const [kind, r] of Object.entries(results)) {
    console.log(`  ${kind.padEnd(14)} p50 ${String(r.p50).padStart(7)} ms   p99 ${String(r.p99).padStart(7)} ms   max ${String(r.max).padStart(7)} ms   p99 ratio ${(r.p99 / base.p99).toFixed(2)}`);
  }
  const loadAfter = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(JSON.stringify({ loadavg: { before: loadBefore, after: loadAfter }, cpuLoad: CPU_LOAD, mentions: MENTIONS, results }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
