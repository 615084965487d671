/**
 * Outbox dispatch latency: how long from an event's COMMIT to its handler starting, through the
 * durable outbox dispatcher (the path every domain event takes: stock pushes, scoring, fulfilment).
 * Events are committed at a steady rate by one writer while a dispatcher polls as `orderops serve`
 * or `orderops worker` does; then a burst measures events per second.
 *
 *   npm run bench:outbox -- [--rate 100] [--seconds 10] [--burst 2000] [--backend pglite,postgres]
 *   env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) for the postgres run
 *
 * The postgres run uses a scratch database orderops_bench_outbox (dropped afterwards). The last
 * line printed is one JSON object.
 */
import { parseArgs } from 'node:util';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createPostgresDb } from '../src/db/postgres-db.js';
import { writeOutbox } from '../src/domain/events/write-outbox.js';
import { createOutboxDispatcher } from '../src/jobs/outbox-dispatcher.js';
import { adminQuery } from './scratch-database.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    burst: { type: 'string', default: '2000' },
    backend: { type: 'string', default: 'pglite,postgres' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BURST = Number(args.burst);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'orderops_bench_outbox';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const admin = async (sql: string): Promise<void> => void (await adminQuery(ADMIN_URL, sql));

async function run(db: Db) {
  await migrate(db);
  const committedAt = new Map<number, number>();
  const latencies: number[] = [];
  let handled = 0;
  let onHandled: (() => void) | null = null;
  const dispatcher = createOutboxDispatcher(db, {
    subscribers: [
      {
        topic: 'bench.event',
        name: 'bench',
        async handle(event) {
          const seq = Number(event.payload.seq);
          const at = committedAt.get(seq);
          if (at !== undefined) latencies.push(performance.now() - at);
          handled++;
          onHandled?.();
        },
      },
    ],
  });
  await dispatcher.start();

  const total = RATE * SECONDS;
  const start = performance.now();
  for (let seq = 0; seq < total; seq++) {
    const due = start + (seq * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await db.transaction((tx) => writeOutbox(tx, 'bench.event', { seq }));
    committedAt.set(seq, performance.now());
  }
  await new Promise<void>((resolve) => {
    onHandled = () => handled >= total && resolve();
    onHandled();
  });

  // The burst: committed as fast as one writer can, measured until the last is handled.
  handled = 0;
  committedAt.clear();
  const burstStart = performance.now();
  for (let seq = 0; seq < BURST; seq++) await db.transaction((tx) => writeOutbox(tx, 'bench.event', { seq: -1 - seq }));
  await new Promise<void>((resolve) => {
    onHandled = () => handled >= BURST && resolve();
    onHandled();
  });
  const burstSeconds = (performance.now() - burstStart) / 1000;
  await dispatcher.stop();

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    events: total,
    p50_ms: Number(percentile(sorted, 50).toFixed(1)),
    p99_ms: Number(percentile(sorted, 99).toFixed(1)),
    max_ms: Number(sorted[sorted.length - 1]!.toFixed(1)),
    burst_events: BURST,
    burst_events_per_s: Math.round(BURST / burstSeconds),
  };
}

const results: Record<string, unknown> = { rate_per_s: RATE, seconds: SECONDS, poll_ms: 100 };
for (const backend of args.backend.split(',').map((b) => b.trim())) {
  if (backend === 'pglite') {
    const db = await createPgliteDb();
    results.pglite = await run(db);
    await db.close();
  } else if (backend === 'postgres') {
    await admin(`DROP DATABASE IF EXISTS ${BENCH_DB}`);
    await admin(`CREATE DATABASE ${BENCH_DB}`);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${BENCH_DB}`;
    const db = await createPostgresDb(u.toString());
    try {
      results.postgres = await run(db);
    } finally {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS ${BENCH_DB}`);
    }
  } else {
    console.error(`bench:outbox: unknown backend "${backend}" (pglite or postgres)`);
    process.exit(2);
  }
  console.log(`${backend}: ${JSON.stringify(results[backend])}`);
}
console.log(JSON.stringify(results));
