/**
 * Slack benchmark: N concurrent, correctly signed app_mention events POSTed to /slack/events on
 * the API server (Fastify, HTTP receiver), answered by the offline model with real tool calls
 * against embedded PGlite, replies delivered to a local Slack Web API on 127.0.0.1.
 * Reports the ack latency (HTTP response to Slack) p50 / p99 / max, and the time until every
 * reply reached chat.postMessage.
 *
 *   npm run bench:slack -- [--mentions 50] [--slack-latency-ms 20]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OfflineProvider } from '../src/agent/providers/offline-provider.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { ALICE, seedAgentFixture } from '../test/support/agent-fixture.js';
import { LocalSlackServer } from '../test/slack/local-slack-server.js';
import { appMentionEvent, eventCallback, slackTs } from '../test/slack/slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness } from '../test/slack/slack-test-harness.js';

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
const ACK_BUDGET_MS = 3000;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

async function main() {
  const db = await createPgliteDb({ dataDir: mkdtempSync(join(tmpdir(), 'orderops-bench-slack-')) });
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
  console.log(`Slack bench: ${MENTIONS} concurrent signed app_mention events, offline model, PGlite, in-process queue, local Slack latency ${SLACK_LATENCY_MS} ms`);
  console.log(`  ack latency   p50 ${quantile(acks, 0.5).toFixed(1)} ms   p99 ${quantile(acks, 0.99).toFixed(1)} ms   max ${acks.at(-1)!.toFixed(1)} ms   (budget ${ACK_BUDGET_MS} ms; over budget: ${late}; non-200: ${failures})`);
  console.log(`  all acked in  ${allAcked.toFixed(0)} ms (sender process start included)`);
  console.log(`  replies       ${replyAt.size}/${MENTIONS} delivered in the mention's thread; last after ${allReplied.toFixed(0)} ms`);
  console.log(`  sample reply  ${String(sample?.args.text ?? '(none)').split('\n')[0]!.slice(0, 120)}`);
  await h.close();
  await db.close();
  if (late > 0 || failures > 0 || replyAt.size < MENTIONS) {
    console.error('FAILED: an ack was late or refused, or a reply did not arrive');
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
