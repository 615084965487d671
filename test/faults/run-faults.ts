/**
 * The fault-injection suite (`npm run test:faults`): 2 `orderops serve` and 2 `orderops worker`
 * processes on a PostgreSQL and a redis-server of its own, EasyPost and SMTP on 127.0.0.1, and a
 * steady stream of orders, carrier events and mail. It kills a worker with SIGKILL mid-job,
 * restarts Redis, stops and starts PostgreSQL, makes the carrier time out and takes the SMTP
 * server out of service (421), then counts: every accepted order in the ledger once, stock never
 * negative nor reserved twice, every job run, one label per shipment, one send per notification,
 * every mail due while SMTP was down sent once in the end and nothing dead-lettered for it, and
 * only 503 + Retry-After while PostgreSQL was down. Prints what it did and counted; exits 1 when
 * a check fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { migrate } from '../../src/db/migrate.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';
import { QUEUES } from '../../src/jobs/queue-names.js';
import { startCaptureSmtpServer } from '../email/capture-smtp-server.js';
import { EasyPostWireServer } from '../support/easypost-wire-server.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { countSmtpOutage, type SmtpOutage } from './count-smtp-outage.js';
import { FaultLoad, type Answer } from './fault-load.js';
import { OrderopsProcess } from './orderops-process.js';
import { OwnPostgres } from './own-postgres.js';
import { OwnRedis } from './own-redis.js';

const PREFIX = 'faults';
const EASYPOST_KEY = 'EZTKfaults';
const EASYPOST_SECRET = 'whsec-faults-easypost';
const INBOUND_SECRET = 'inbound-secret-faults-0123456789';
const SKUS = ['FLT-TEE', 'FLT-CAP', 'FLT-MUG'];
const SCARCE = 'FLT-LAST';
const SCARCE_UNITS = 5;
const PG_DOWN_MS = 8_000;
const CARRIER_TIMEOUT_MS = 10_000;
const SMTP_DOWN_MS = 8_000;
const SETTLE_MS = 10_000;
const DRAIN_MS = 150_000;
/** An answer slower than this while PostgreSQL is down counts as a hang. */
const DOWN_ANSWER_MS = 5_000;

const t0 = Date.now();
const at = () => Number(((Date.now() - t0) / 1000).toFixed(1));
const say = (line: string) => console.log(`[${at().toFixed(1).padStart(5)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Injection {
  what: string;
  at_s: number;
  until_s?: number;
  detail?: Record<string, unknown>;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'orderops-faults-'));
  const pg = new OwnPostgres(dir, await freePort());
  const redis = new OwnRedis(dir, await freePort());
  const easypost = new EasyPostWireServer(EASYPOST_KEY);
  const smtp = await startCaptureSmtpServer();
  const processes: OrderopsProcess[] = [];
  const injections: Injection[] = [];
  try {
    pg.init();
    pg.start();
    await redis.start();
    const easypostUrl = await easypost.start();
    // Each purchase takes a while, as at the real carrier: jobs are mid-call when a worker dies.
    easypost.delayMs = 150;
    say(`own PostgreSQL on ${pg.port}, own Redis on ${redis.port} (uid ${process.getuid?.()}), EasyPost at ${easypostUrl}, SMTP at ${smtp.url}`);

    const db = createPostgresDb(pg.url, { max: 4 });
    await migrate(db);
    await seedTestCatalog(db, 'p-faults', [
      ...SKUS.map((sku) => ({ sku, price: '20.00', stock: { 'loc-east-wh': 100_000 } })),
      { sku: SCARCE, price: '90.00', stock: { 'loc-east-wh': SCARCE_UNITS } },
    ]);
    await db.query(`UPDATE variants SET weight_grams = 350, length_mm = 300, width_mm = 250, height_mm = 30 WHERE id LIKE 'v-FLT-%'`);
    await seedShippingLocations(db);
    await db.close();

    const env = (name: string): Record<string, string> => ({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: PREFIX,
      DATA_DIR: join(dir, name),
      SEED_DEMO: 'false',
      SMTP_PORT: '0',
      SMTP_URL: smtp.url,
      EMAIL_INBOUND_SECRET: INBOUND_SECRET,
      EMAIL_GLOBAL_TURNS_PER_MINUTE: '10000',
      EMAIL_GLOBAL_TURNS_PER_HOUR: '100000',
      SIGNING_SECRET: 'faults-signing-secret-0123456789abcdef',
      CARRIERS: 'easypost',
      EASYPOST_API_KEY: EASYPOST_KEY,
      EASYPOST_API_URL: easypostUrl,
      EASYPOST_WEBHOOK_SECRET: EASYPOST_SECRET,
      // A worker killed mid-job gives its jobs and outbox events back within seconds, not minutes.
      JOB_LEASE_MS: '3000',
      ANTHROPIC_API_KEY: '',
      SLACK_BOT_TOKEN: '',
    });
    const apiPorts = [await freePort(), await freePort()];
    const apis = apiPorts.map((port, i) => new OrderopsProcess(`api-${i + 1}`, 'serve', { ...env(`api-${i + 1}`), PORT: String(port), RUN_WORKERS: 'false' }));
    const workers = [1, 2].map((i) => new OrderopsProcess(`worker-${i}`, 'worker', env(`worker-${i}`)));
    processes.push(...apis, ...workers);
    // One at a time: the first migrates, and two cores start four processes faster in a row.
    for (const p of processes) await p.start();
    say('2 × orderops serve and 2 × orderops worker running');

    const load = new FaultLoad(apiPorts.map((p) => `http://127.0.0.1:${p}`), {
      skus: SKUS,
      scarceSku: SCARCE,
      easypost,
      easypostSecret: EASYPOST_SECRET,
      inboundSecret: INBOUND_SECRET,
    });
    load.start();
    say('load started: orders, carrier events and inbound mail on both APIs');
    await sleep(SETTLE_MS);

    // 1. A worker killed with SIGKILL while the carrier is answering its jobs.
    const victim = workers[0]!;
    const killDeadline = Date.now() + 20_000;
    while (easypost.inFlight === 0 && Date.now() < killDeadline) await sleep(5);
    const carrierCallsInFlight = easypost.inFlight;
    const killedAt = at();
    await victim.kill('SIGKILL');
    injections.push({ what: 'kill -9 worker-1', at_s: killedAt, detail: { carrier_calls_in_flight: carrierCallsInFlight } });
    say(`kill -9 worker-1 with ${carrierCallsInFlight} carrier call(s) in flight`);
    await sleep(3_000);
    await victim.start();
    injections[injections.length - 1]!.until_s = at();
    say('worker-1 started again');
    await sleep(SETTLE_MS);

    // 2. Redis restarted.
    const redisFrom = at();
    await redis.stop();
    say('Redis stopped');
    await sleep(2_000);
    await redis.start();
    injections.push({ what: 'restart Redis', at_s: redisFrom, until_s: at() });
    say('Redis started again');
    await sleep(SETTLE_MS);

    // 3. PostgreSQL stopped for a while.
    const pgFrom = Date.now();
    pg.stop();
    const pgDownAt = Date.now();
    say('PostgreSQL stopped');
    await sleep(PG_DOWN_MS);
    const pgUpFrom = Date.now();
    pg.start();
    injections.push({ what: 'stop PostgreSQL', at_s: Number(((pgFrom - t0) / 1000).toFixed(1)), until_s: at(), detail: { down_ms: pgUpFrom - pgDownAt } });
    say('PostgreSQL started again');
    await sleep(SETTLE_MS);

    // 4. The carrier stops answering: every call hangs, and purchases are made but never answered.
    let carrierDown = true;
    easypost.fail((c) => carrierDown && c.method === 'POST' && c.path.endsWith('/buy'), 'handle-then-timeout', 1e9);
    easypost.fail((c) => carrierDown, 'timeout', 1e9);
    const carrierFrom = at();
    say('carrier times out');
    await sleep(CARRIER_TIMEOUT_MS);
    carrierDown = false;
    injections.push({ what: 'carrier times out (buys made but unanswered, other calls hang)', at_s: carrierFrom, until_s: at() });
    say('carrier answers again');
    await sleep(SETTLE_MS);

    // 5. The SMTP server out of service, as a relay down for maintenance: 421 to every new
    // connection and to the next command of every open one, so nothing is accepted.
    const refusedBefore = smtp.refusals;
    const smtpFrom = Date.now();
    const smtpFromPerf = performance.now();
    smtp.pause();
    say('SMTP server answers 421 to every connection and command');
    await sleep(SMTP_DOWN_MS);
    smtp.resume();
    const smtpOutage: SmtpOutage = { from: smtpFrom, until: Date.now(), fromPerf: smtpFromPerf, untilPerf: performance.now(), refused: smtp.refusals - refusedBefore };
    injections.push({
      what: 'SMTP server unavailable (421 to every connection and command)',
      at_s: Number(((smtpFrom - t0) / 1000).toFixed(1)),
      until_s: at(),
      detail: { down_ms: smtpOutage.until - smtpOutage.from, refused: smtpOutage.refused },
    });
    say(`SMTP server accepts again; it refused ${smtpOutage.refused} connection(s) and command(s)`);
    await sleep(SETTLE_MS);

    await load.stop();
    const unaccepted = await load.retryAll(60_000);
    say(`load stopped; ${unaccepted} request(s) still not accepted after retries`);

    // Drain: wait until no job, outbox event or notification is left to run.
    const counts = new JobCounts(redis.url, pg.url);
    const drainFrom = Date.now();
    let backlog = await counts.backlog();
    while (backlog.total > 0 && Date.now() - drainFrom < DRAIN_MS) {
      await sleep(2_000);
      backlog = await counts.backlog();
    }
    for (const p of processes) if (!p.alive) say(`${p.name} is not running:\n${p.tail()}`);
    say(`drained in ${((Date.now() - drainFrom) / 1000).toFixed(1)} s; backlog ${JSON.stringify(backlog)}`);

    const downAnswers = load.answers.filter((a) => a.sentAt >= pgDownAt && a.sentAt < pgUpFrom);
    const report = await count({ pgUrl: pg.url, load, easypost, smtp, backlog, downAnswers, smtpOutage, injections, unaccepted, counts });
    await counts.close();
    for (const line of report.lines) console.log(line);
    console.log(JSON.stringify(report.json));
    return report.ok ? 0 : 1;
  } finally {
    for (const p of processes) await p.kill('SIGTERM').catch(() => undefined);
    await easypost.stop().catch(() => undefined);
    await smtp.close().catch(() => undefined);
    await redis.stop().catch(() => undefined);
    pg.stopQuietly();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What is left to run: BullMQ jobs by state, outbox events and notification runs owed. */
class JobCounts {
  private readonly queues: Queue[];
  constructor(redisUrl: string, private readonly pgUrl: string) {
    this.queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: { url: redisUrl }, prefix: PREFIX }));
  }

  async bullmq(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const q of this.queues) {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed');
      if (Object.values(c).some((n) => n > 0)) out[q.name] = c;
    }
    return out;
  }

  async backlog(): Promise<{ total: number; jobs: number; outbox: number; notifications: number }> {
    const byQueue = await this.bullmq();
    const jobs = Object.values(byQueue).reduce((n, c) => n + c.waiting! + c.active! + c.prioritized! + c['waiting-children']! + dueDelayed(c), 0);
    const db = createPostgresDb(this.pgUrl, { max: 1 });
    try {
      const { rows } = await db.query<{ outbox: number; notifications: number }>(
        `SELECT (SELECT count(*)::int FROM outbox WHERE done_at IS NULL AND dead_at IS NULL) AS outbox,
                (SELECT count(*)::int FROM notification_runs WHERE status = 'running' OR (status = 'scheduled' AND due_at <= now()))
                  + (SELECT count(*)::int FROM notification_messages WHERE status IN ('queued', 'sending')) AS notifications`,
      );
      const { outbox, notifications } = rows[0]!;
      return { total: jobs + outbox + notifications, jobs, outbox, notifications };
    } finally {
      await db.close();
    }
  }

  /** The Message-IDs of the outbound mail jobs that completed after more than one try. */
  async retriedReplies(): Promise<Set<string>> {
    const queue = this.queues.find((q) => q.name === QUEUES.emailOutbound)!;
    const jobs = await queue.getJobs(['completed'], 0, -1);
    return new Set(jobs.filter((j) => j.attemptsMade > 1).map((j) => (j.data as { messageId: string }).messageId));
  }

  /** The jobs BullMQ holds as failed: queue, attempts and reason. */
  async failedJobs(): Promise<string[]> {
    const out: string[] = [];
    for (const q of this.queues) {
      for (const j of await q.getFailed(0, 4)) out.push(`${q.name} ${j.id} after ${j.attemptsMade} attempt(s): ${String(j.failedReason).slice(0, 140)}`);
    }
    return out;
  }

  async close(): Promise<void> {
    for (const q of this.queues) await q.close();
  }
}

// Delayed jobs are retries waiting out their backoff, owed work; the count is all BullMQ gives cheaply.
const dueDelayed = (c: Record<string, number>) => c.delayed ?? 0;

/** The answers that were not a 2xx, by kind, status and error code. */
function failedAnswers(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    if (a.status >= 200 && a.status < 300) continue;
    const k = `${a.kind} ${a.status}${a.retryAfter ? ' retry-after' : ''} ${a.code ?? ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

interface CountInput {
  pgUrl: string;
  load: FaultLoad;
  easypost: EasyPostWireServer;
  smtp: Awaited<ReturnType<typeof startCaptureSmtpServer>>;
  backlog: Awaited<ReturnType<JobCounts['backlog']>>;
  downAnswers: Answer[];
  smtpOutage: SmtpOutage;
  injections: Injection[];
  unaccepted: number;
  counts: JobCounts;
}

async function count(input: CountInput): Promise<{ ok: boolean; lines: string[]; json: Record<string, unknown> }> {
  const { load, easypost, smtp } = input;
  const db = createPostgresDb(input.pgUrl, { max: 2 });
  try {
    const q = async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows;

    const ledger = await q<{ external_id: string; n: number }>(`SELECT external_id, count(*)::int AS n FROM orders WHERE external_id LIKE 'flt-%' GROUP BY external_id`);
    const ledgerById = new Map(ledger.map((r) => [r.external_id, r.n]));
    const acceptedOrders = [...load.accepted.orders];
    const missingOrders = acceptedOrders.filter((id) => !ledgerById.has(id));
    const doubledOrders = ledger.filter((r) => r.n > 1).map((r) => r.external_id);
    const unacceptedInLedger = ledger.filter((r) => !load.accepted.orders.has(r.external_id)).length;

    const [stock] = await q<{ negative: number; off_ledger: number; over_reserved_lines: number; scarce_reserved: number }>(
      `SELECT (SELECT count(*)::int FROM inventory_levels WHERE on_hand < 0) AS negative,
              (SELECT count(*)::int FROM inventory_levels l
                 WHERE l.on_hand <> COALESCE((SELECT sum(m.quantity) FROM inventory_movements m WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id), 0)) AS off_ledger,
              (SELECT count(*)::int FROM order_lines ol
                 WHERE (SELECT COALESCE(sum(r.quantity), 0) FROM reservations r WHERE r.order_line_id = ol.id AND r.status IN ('active', 'fulfilled')) > ol.quantity) AS over_reserved_lines,
              (SELECT COALESCE(sum(quantity), 0)::int FROM reservations WHERE variant_id = $1 AND status IN ('active', 'fulfilled')) AS scarce_reserved`,
      [`v-${SCARCE}`],
    );

    const [jobs] = await q<{ outbox_done: number; outbox_dead: number; failed_jobs: number; failed_unretried: number; runs_done: number; runs_failed: number; runs_scheduled_later: number; messages_sent: number; messages_failed: number }>(
      `SELECT (SELECT count(*)::int FROM outbox WHERE done_at IS NOT NULL) AS outbox_done,
              (SELECT count(*)::int FROM outbox WHERE dead_at IS NOT NULL) AS outbox_dead,
              (SELECT count(*)::int FROM failed_jobs) AS failed_jobs,
              (SELECT count(*)::int FROM failed_jobs WHERE retried_at IS NULL) AS failed_unretried,
              (SELECT count(*)::int FROM notification_runs WHERE status = 'done') AS runs_done,
              (SELECT count(*)::int FROM notification_runs WHERE status = 'failed') AS runs_failed,
              (SELECT count(*)::int FROM notification_runs WHERE status = 'scheduled' AND due_at > now()) AS runs_scheduled_later,
              (SELECT count(*)::int FROM notification_messages WHERE status = 'sent') AS messages_sent,
              (SELECT count(*)::int FROM notification_messages WHERE status = 'failed') AS messages_failed`,
    );
    const stuck = await q<{ topic: string; n: number; attempts: number; locked: number; error: string | null }>(
      `SELECT topic, count(*)::int AS n, max(attempts)::int AS attempts, count(*) FILTER (WHERE locked_until > now())::int AS locked, left(max(last_error), 160) AS error
         FROM outbox WHERE done_at IS NULL AND dead_at IS NULL GROUP BY topic ORDER BY n DESC LIMIT 5`,
    );
    const deadLetters = await q<{ queue: string; error: string }>(`SELECT queue, left(error, 160) AS error FROM failed_jobs ORDER BY id LIMIT 5`);
    const bullmq = await input.counts.bullmq();
    const bullFailed = Object.values(bullmq).reduce((n, c) => n + (c.failed ?? 0), 0);
    const bullFailedJobs = await input.counts.failedJobs();

    // Labels: purchases the carrier made, by the shipment reference (our idempotency key).
    const buysByReference = new Map<string, number>();
    for (const s of easypost.shipments) if (s.tracking_code) buysByReference.set(s.reference ?? s.id, (buysByReference.get(s.reference ?? s.id) ?? 0) + 1);
    const doubleLabels = [...buysByReference].filter(([, n]) => n > 1).map(([k]) => k);
    const [labels] = await q<{ shipments_labelled: number; orders_two_labels: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM shipments WHERE tracking_number IS NOT NULL) AS shipments_labelled,
              (SELECT count(*)::int FROM (SELECT order_id FROM shipments WHERE tracking_number IS NOT NULL AND status <> 'voided' GROUP BY order_id, location_id HAVING count(*) > 1) x) AS orders_two_labels,
              (SELECT count(*)::int FROM tracking_events) AS events`,
    );

    // Notifications: mail the SMTP server took, by Message-ID (a resend keeps it) and by recipient and subject.
    const byMessageId = new Map<string, number>();
    const byRecipientSubject = new Map<string, number>();
    for (const m of smtp.messages) {
      const id = m.parsed.messageId ?? '(none)';
      byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
      const k = `${m.envelope.to.join(',')} | ${m.parsed.subject ?? ''}`;
      byRecipientSubject.set(k, (byRecipientSubject.get(k) ?? 0) + 1);
    }
    const doubleSends = [...byMessageId].filter(([, n]) => n > 1).map(([k]) => k);
    const sameMailTwice = [...byRecipientSubject].filter(([, n]) => n > 1).map(([k]) => k);

    const mailIds = [...load.accepted.mails];
    const mailRows = await q<{ message_id: string }>(`SELECT message_id FROM email_messages WHERE direction = 'inbound' AND message_id = ANY($1)`, [mailIds]);
    const missingMails = mailIds.length - mailRows.length;

    // Inbound mail is taken into the job queue (Redis), so it may be accepted while PostgreSQL is
    // down; that it reaches the ledger afterwards is every_accepted_mail_in_ledger.
    const queuedMail = (a: Answer) => a.kind === 'mail' && a.status >= 200 && a.status < 300;
    const bad = input.downAnswers.filter((a) => a.ms > DOWN_ANSWER_MS || (!queuedMail(a) && (a.status !== 503 || !a.retryAfter)));
    const statuses = (answers: Answer[]) => answers.reduce<Record<string, number>>((o, a) => ((o[a.status] = (o[a.status] ?? 0) + 1), o), {});
    const all500 = load.answers.filter((a) => a.status >= 500 && !(a.status === 503 && a.retryAfter));
    const hangs = load.answers.filter((a) => a.status === 0);

    const smtpDown = await countSmtpOutage({ db, messages: smtp.messages, outage: input.smtpOutage, answers: load.answers, retriedReplies: await input.counts.retriedReplies() });

    const checks: Record<string, boolean> = {
      every_accepted_order_in_ledger_once: missingOrders.length === 0 && doubledOrders.length === 0,
      every_accepted_mail_in_ledger: missingMails === 0,
      no_negative_stock: stock!.negative === 0 && stock!.off_ledger === 0,
      no_double_reservation: stock!.over_reserved_lines === 0 && stock!.scarce_reserved <= SCARCE_UNITS,
      every_job_completed: input.backlog.total === 0 && jobs!.outbox_dead === 0 && jobs!.failed_unretried === 0 && bullFailed === 0,
      no_label_bought_twice: doubleLabels.length === 0 && labels!.orders_two_labels === 0,
      no_notification_sent_twice: doubleSends.length === 0 && sameMailTwice.length === 0,
      only_503_with_retry_after_while_postgres_down: input.downAnswers.length > 0 && bad.length === 0,
      no_500_and_no_hang: all500.length === 0 && hangs.length === 0,
      every_request_accepted_in_the_end: input.unaccepted === 0,
      ...smtpDown.checks,
    };
    const json = {
      suite: 'faults',
      ok: Object.values(checks).every(Boolean),
      seconds: at(),
      injected: input.injections,
      counted: {
        requests: { total: load.answers.length, by_status: statuses(load.answers), hangs: hangs.length, server_errors: all500.length },
        orders: { accepted: acceptedOrders.length, ledger_rows: ledger.reduce((n, r) => n + r.n, 0), missing: missingOrders.length, doubled: doubledOrders.length, in_ledger_not_accepted: unacceptedInLedger },
        mails_in: { accepted: mailIds.length, in_ledger: mailRows.length },
        carrier_events: { accepted: load.accepted.events.size, tracking_events: labels!.events },
        stock: stock,
        jobs: { backlog: input.backlog, bullmq_failed: bullFailed, outbox_done: jobs!.outbox_done, outbox_dead: jobs!.outbox_dead, dead_letters: jobs!.failed_jobs, dead_letters_unretried: jobs!.failed_unretried },
        labels: { purchases: easypost.purchases, references: buysByReference.size, bought_twice: doubleLabels.length, shipments_labelled: labels!.shipments_labelled, orders_with_two_live_labels: labels!.orders_two_labels },
        notifications: { mails_sent: smtp.messages.length, distinct_message_ids: byMessageId.size, sent_twice: doubleSends.length, same_recipient_and_subject_twice: sameMailTwice.length, runs_done: jobs!.runs_done, runs_failed: jobs!.runs_failed, runs_scheduled_later: jobs!.runs_scheduled_later, messages_sent: jobs!.messages_sent, messages_failed: jobs!.messages_failed },
        smtp_down: smtpDown.json,
        postgres_down: { answers: input.downAnswers.length, by_status: statuses(input.downAnswers), with_retry_after: input.downAnswers.filter((a) => a.retryAfter).length, slowest_ms: Math.max(0, ...input.downAnswers.map((a) => a.ms)), bad: bad.length },
      },
      checks,
    };
    const lines = [
      '',
      'injected:',
      ...input.injections.map((i) => `  ${String(i.at_s).padStart(6)} s${i.until_s ? ` → ${i.until_s} s` : ''}  ${i.what}${i.detail ? ` ${JSON.stringify(i.detail)}` : ''}`),
      'counted:',
      `  requests ${load.answers.length} ${JSON.stringify(json.counted.requests.by_status)}, ${hangs.length} without an answer in 10 s, ${all500.length} 5xx other than 503 + Retry-After`,
      `  orders accepted ${acceptedOrders.length}, in the ledger ${json.counted.orders.ledger_rows} (missing ${missingOrders.length}, twice ${doubledOrders.length})`,
      `  inbound mail accepted ${mailIds.length}, in the ledger ${mailRows.length}; carrier events accepted ${load.accepted.events.size}, tracking events ${labels!.events}`,
      `  stock: ${stock!.negative} negative levels, ${stock!.off_ledger} off the movements ledger, ${stock!.over_reserved_lines} lines reserved beyond their quantity, ${stock!.scarce_reserved}/${SCARCE_UNITS} of ${SCARCE} reserved`,
      `  jobs: backlog ${JSON.stringify(input.backlog)}, BullMQ failed ${bullFailed}, outbox done ${jobs!.outbox_done} dead ${jobs!.outbox_dead}, dead letters ${jobs!.failed_jobs} (${jobs!.failed_unretried} not retried)`,
      ...deadLetters.map((d) => `    dead letter ${d.queue}: ${d.error}`),
      ...bullFailedJobs.map((j) => `    BullMQ failed ${j}`),
      ...stuck.map((o) => `    outbox owed ${o.topic}: ${o.n} (attempts up to ${o.attempts}, ${o.locked} leased) ${o.error ?? ''}`),
      ...Object.entries(failedAnswers(load.answers)).map(([k, n]) => `    not accepted: ${k} × ${n}`),
      `  labels: ${easypost.purchases} bought for ${buysByReference.size} references, ${doubleLabels.length} bought twice; ${labels!.orders_two_labels} orders with two live labels`,
      `  notifications: ${smtp.messages.length} mails for ${byMessageId.size} Message-IDs, ${doubleSends.length} sent twice, ${sameMailTwice.length} recipient+subject twice; ${jobs!.runs_scheduled_later} runs scheduled for later (the shipped mail waits 10 min)`,
      `  while PostgreSQL was down: ${input.downAnswers.length} answers ${JSON.stringify(json.counted.postgres_down.by_status)}, ${json.counted.postgres_down.with_retry_after} with Retry-After, slowest ${json.counted.postgres_down.slowest_ms} ms`,
      ...smtpDown.lines,
      'checks:',
      ...Object.entries(checks).map(([k, v]) => `  ${v ? 'ok  ' : 'FAIL'} ${k}`),
      '',
    ];
    return { ok: json.ok, lines, json };
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`faults: ${(err as Error).stack ?? String(err)}`);
    process.exit(2);
  },
);
