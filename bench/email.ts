/**
 * Email benchmark: WISMO mails over real SMTP into the email channel (offline model, in-process
 * queue, embedded PGlite), replies over real SMTP to a capture server on 127.0.0.1. Reports
 * throughput and the time from our SMTP server accepting a mail (the client's 250) to the
 * capture server accepting the reply.
 *
 *   npm run bench:email -- [--mails 200] [--concurrency 8]
 *
 * With BENCH_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) the run uses a
 * fresh PostgreSQL database created for it and dropped afterwards, instead of PGlite.
 *
 * Customers and orders come from the shared tau-retail data (../shared/datasets/tau-retail);
 * without it the small agent test fixture is used and the run says so.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTauRetail } from '../src/connectors/tau-retail/import-tau-retail.js';
import { migrate } from '../src/db/migrate.js';
import pg from 'pg';
import type { Db } from '../src/db/db.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { seedAgentFixture } from '../test/support/agent-fixture.js';
import { startEmailHarness } from '../test/email/email-test-harness.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name} must be a positive whole number`);
    process.exit(2);
  }
  return v;
}

const MAILS = arg('mails', 200);
const CONCURRENCY = arg('concurrency', 8);
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tauDir = resolve(process.env.TAU_RETAIL_DIR ?? resolve(repoRoot, '../shared/datasets/tau-retail'), 'tau-bench');

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

async function openBenchDb(): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  const url = process.env.BENCH_POSTGRES_URL;
  if (!url) {
    const db = await createPgliteDb({ dataDir: mkdtempSync(join(tmpdir(), 'orderops-bench-email-')) });
    return { db, cleanup: () => db.close() };
  }
  const name = `orderops_bench_email_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = createPostgresDb(u.toString());
  return {
    db,
    cleanup: async () => {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function main() {
  const setupStart = performance.now();
  const { db, cleanup } = await openBenchDb();
  await migrate(db);
  let dataset: string;
  if (existsSync(join(tauDir, 'users.json'))) {
    await importTauRetail(db, tauDir);
    dataset = `tau-retail (${tauDir})`;
  } else {
    await seedAgentFixture(db);
    dataset = 'agent test fixture (tau-retail data not found; set TAU_RETAIL_DIR)';
  }
  // One shipped order per customer first, so the rate limits are not what is measured.
  const { rows: candidates } = await db.query<{ order_id: string; email: string; name: string; tracking: string }>(
    `SELECT DISTINCT ON (c.id) o.id AS order_id, c.email, c.first_name || ' ' || c.last_name AS name, f.tracking_ids[1] AS tracking
       FROM orders o JOIN customers c ON c.id = o.customer_id JOIN shipments f ON f.order_id = o.id
      WHERE cardinality(f.tracking_ids) > 0
      ORDER BY c.id, o.seq`,
  );
  if (candidates.length === 0) throw new Error('no shipped orders to ask about');
  const limit = String(MAILS);
  const h = await startEmailHarness({
    db,
    env: {
      EMAIL_REPLIES_PER_HOUR: limit,
      EMAIL_GLOBAL_TURNS_PER_MINUTE: limit,
      EMAIL_GLOBAL_TURNS_PER_HOUR: limit,
      SMTP_IP_CONNECTIONS_PER_MINUTE: '0',
      SMTP_IP_MESSAGES_PER_MINUTE: '0',
    },
  });
  const setupSeconds = (performance.now() - setupStart) / 1000;

  const acceptedAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const expected = new Map<string, string>();
  const jobs = Array.from({ length: MAILS }, (_, i) => {
    const c = candidates[i % candidates.length]!;
    const messageId = `<bench-${i}-${Date.now()}@customers.example>`;
    expected.set(messageId, c.tracking);
    return { c, messageId };
  });

  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const { c, messageId } = jobs[next++]!;
        sentAt.set(messageId, performance.now());
        await h.send({ from: `${c.name} <${c.email}>`, subject: 'Where is my order?', text: `Hi, where is my order ${c.order_id}? Thanks`, messageId });
        acceptedAt.set(messageId, performance.now());
      }
    }),
  );
  await h.queue.drain();
  await h.capture.waitForCount(MAILS, 120_000);
  const wall = (performance.now() - start) / 1000;

  const latencies: number[] = [];
  const fromSend: number[] = [];
  let correct = 0;
  for (const m of h.capture.messages) {
    const inReplyTo = m.parsed.inReplyTo ?? '';
    const t0 = acceptedAt.get(inReplyTo);
    if (t0 === undefined) continue;
    latencies.push(m.receivedAt - t0);
    fromSend.push(m.receivedAt - sentAt.get(inReplyTo)!);
    if ((m.parsed.text ?? '').includes(expected.get(inReplyTo)!)) correct++;
  }
  latencies.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  const result = {
    mails: MAILS,
    concurrency: CONCURRENCY,
    dataset,
    replies: latencies.length,
    repliesWithRightTracking: correct,
    wallSeconds: Number(wall.toFixed(2)),
    throughputPerSecond: Number((latencies.length / wall).toFixed(1)),
    latencyMs: {
      p50: Math.round(quantile(latencies, 0.5)),
      p95: Math.round(quantile(latencies, 0.95)),
      max: Math.round(latencies.at(-1) ?? 0),
    },
    // From the client opening the SMTP transaction, in case our 250 reached it late.
    fromSendMs: { p50: Math.round(quantile(fromSend, 0.5)), p95: Math.round(quantile(fromSend, 0.95)) },
    loadAverage: (await import('node:os')).loadavg()[0]!.toFixed(1),
    setupSeconds: Number(setupSeconds.toFixed(1)),
    model: h.agent.provider.name,
    queue: h.queue.kind,
    db: db.kind,
  };
  console.log(`email bench: ${result.replies}/${MAILS} replies (${correct} with the right tracking number) in ${result.wallSeconds}s`);
  console.log(`  throughput ${result.throughputPerSecond} mails/s; SMTP accept -> reply accepted: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms (from opening the SMTP transaction: p50 ${result.fromSendMs.p50} ms, p95 ${result.fromSendMs.p95} ms)`);
  console.log(JSON.stringify(result));
  await h.close();
  await cleanup();
  if (result.replies !== MAILS || correct !== MAILS) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
