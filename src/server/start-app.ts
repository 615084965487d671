import type { FastifyInstance } from 'fastify';
import { createAgentService, type AgentService } from '../agent/agent-service.js';
import { createPeriodicTasks, type PeriodicTasks } from '../jobs/periodic-tasks.js';
import { notifySafely, type ApprovalNotifier } from '../agent/approval-notifier.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Carrier } from '../domain/shipping/carrier.js';
import { provideCarriers } from '../config/shared-carriers.js';
import { migrate } from '../db/migrate.js';
import { openSharedDb, SERVER_COMMAND } from '../db/open-shared-db.js';
import { seedDemo } from '../demo/seed-demo.js';
import type { AlertSink } from '../anomaly/alert-sink.js';
import { composeServices } from '../config/compose-services.js';
import type { Storefronts } from '../config/shared-storefronts.js';
import { loadSigningSecret } from '../notifications/signing-secret.js';
import type { SmsSender } from '../notifications/sms-sender.js';
import type { OutboundMailer } from '../channels/email/outbound-mailer.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { jobRetrySubscriber } from '../jobs/job-retry-subscriber.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../jobs/outbox-dispatcher.js';
import type { OutboxHandler, OutboxSubscriber } from '../jobs/outbox-subscriber.js';
import { inboxReader } from '../console/inbox-reader.js';
import { closeServerGracefully } from './close-server-gracefully.js';
import { buildServer } from './build-server.js';
import { createHealthRegistry, type HealthRegistry } from './health-registry.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { startTracing } from './tracing.js';
import { allObservers } from '../jobs/job-observer.js';
import type { RoutePlugin } from './route-plugin.js';
import { createLogger, logLine, useAsDefaultLogger, type Logger, type LogLine } from '../config/logger.js';

const APPROVAL_EXPIRY_SWEEP_MS = 60_000;

export interface AppContext {
  db: Db;
  config: Config;
  queue: JobQueue;
  app: FastifyInstance;
  log: LogLine;
  /** The process's root logger: a part takes `logger.child({ component })` for its own lines. */
  logger: Logger;
  /** The one agent every channel talks to, so an approval opened by email is seen by Slack. */
  agent: AgentService;
  /** Adds hooks called when an approval is created, decided or expires (Slack posts, email mails). */
  addApprovalNotifier: (notifier: ApprovalNotifier) => void;
  /**
   * Subscribes a handler to an outbox topic (order.created, inventory.movement ...). `name` is
   * the handler's stable done marker (default: topic and position); give one to any new handler.
   * The handler may see an event twice (a worker died before marking it): it must be idempotent.
   * Handlers of a topic run in the order they subscribed; one that throws holds back the ones after it.
   */
  onOutbox: (topic: string, handler: OutboxHandler, name?: string) => void;
  /** Where a part reports an outside service it depends on; `/healthz` shows each one. */
  health: HealthRegistry;
  /** Where anomaly and operations alerts go (composition root: Slack or the log). */
  alerts: AlertSink;
  /** The storefront adapters (composition root), shared by webhooks, reconciliation and pushes. */
  storefronts: Storefronts;
  /** Text messages out (composition root): Twilio or files under DATA_DIR/sms-outbox/. */
  sms: SmsSender;
  /** Mail out (composition root): SMTP_URL or .eml files; every part that mails shares it. */
  mailer: OutboundMailer;
  /**
   * The address customers and providers reach this server at: PUBLIC_URL, or once the server
   * listens its own address (before that, http://HOST:PORT). Links in messages start with it.
   */
  publicUrl: () => string;
  /** The key that signs tracking-page and unsubscribe links (SIGNING_SECRET or the database's own). */
  signingSecret: string;
  /**
   * What this process runs. Extensions register routes and job handlers in every role (the API
   * enqueues what a worker runs, so both know the handlers); doors that listen on their own port
   * (inbound SMTP) open only where `servesApi`.
   */
  role: ProcessRole;
  servesApi: boolean;
  runsWorkers: boolean;
  /**
   * Schedules a periodic task that runs once per period across every process on the database,
   * however many workers run: the sweeps and polls of an extension go through it.
   */
  every: PeriodicTasks['every'];
}

/** `all`: `orderops serve` (API and workers); `api`: serve with RUN_WORKERS=false; `worker`: `orderops worker`. */
export type ProcessRole = 'all' | 'api' | 'worker';

/**
 * One part of the running service (Slack app, inbound SMTP, monitors...). Called after the
 * database, queue and HTTP server exist but before the queue starts and the server listens, so it
 * can register routes (`registerRoutes(ctx.app, ...)`) and job handlers. It may return a stop
 * function, called on shutdown in reverse order. It must not wait on an outside service: connect
 * in the background and report through `ctx.health`, so the API serves at once.
 */
export type AppExtension = (ctx: AppContext) => Promise<(() => Promise<void>) | void>;

export interface StartAppOptions {
  /** Use this database instead of opening the configured one (tests); it is not closed on stop. */
  db?: Db;
  routes?: RoutePlugin[];
  extensions?: AppExtension[];
  log?: LogLine;
  /** The root logger (tests give one writing to a stream); default: JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
  /** Carrier adapters to use instead of those CARRIERS opens (tests with a local carrier or clock). */
  carriers?: readonly Carrier[];
  /** Default: `all`, or `api` when RUN_WORKERS is false. */
  role?: ProcessRole;
}

export interface RunningApp {
  app: FastifyInstance;
  db: Db;
  queue: JobQueue;
  /** Null in the `api` role, where workers elsewhere dispatch the outbox. */
  outbox: OutboxDispatcher | null;
  /** Empty in the `worker` role, which serves no HTTP. */
  url: string;
  /** The root logger the service writes through. */
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Starts orderops: database (migrated, demo-seeded when empty and SEED_DEMO is on), job queue,
 * extensions, and as its role says the workers (queue handlers, outbox dispatch, schedules)
 * and the HTTP server on HOST:PORT. Logs one line per part saying what runs,
 * so an operator sees at a glance whether the model is Claude or offline, Slack on or off.
 */
export async function startApp(config: Config, options: StartAppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config);
  // Parts given no logger (an approval notifier's warning, a tool's) write through this one too.
  if (!options.logger) useAsDefaultLogger(logger);
  const log = options.log ?? logLine(logger.child({ component: 'orderops' }));
  const role: ProcessRole = options.role ?? (config.RUN_WORKERS ? 'all' : 'api');
  const sharedDb = options.db ? options.db.kind === 'postgres' : Boolean(config.DATABASE_URL);
  if (role !== 'all' && (!config.REDIS_URL || !sharedDb)) {
    // An in-process queue or a PGlite file cannot be shared by an API and a worker process.
    throw new Error(`running as ${role === 'api' ? 'the API alone (RUN_WORKERS=false)' : 'a worker'} needs REDIS_URL and DATABASE_URL`);
  }
  if (!config.API_TOKEN && !isLoopback(config.HOST) && role !== 'worker') {
    // Orders, customers and payment methods must never be readable from the network unauthenticated.
    const channelsOnly = config.API_TOKENS.length > 0
      ? ': API_TOKENS alone is not enough, because reading orders, customers and the dashboard needs API_TOKEN'
      : '';
    throw new Error(`API_TOKEN must be set when HOST (${config.HOST}) is not a loopback address${channelsOnly}`);
  }
  const stops: (() => Promise<void>)[] = [];
  if (options.carriers) provideCarriers(config, options.carriers);
  const ownDb = !options.db;
  // Owns DATA_DIR's PGlite (or refuses: DataDirLockedError), on a thread of its own so the
  // HTTP answers (Slack's acks among them) never wait on a query, and shares it with orderops commands.
  const db = options.db ?? (await openSharedDb(config, { command: SERVER_COMMAND, share: true, ownThread: true, log }));
  try {
    log(`database: ${db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite under ${config.DATA_DIR}/pglite`}`);
    const applied = await migrate(db);
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');

    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    if (rows[0]!.n === 0 && config.SEED_DEMO && role !== 'worker') {
      // The same generated store, shifted so its 90 days of history end at the current hour.
      const asOf = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      const s = await seedDemo(db, { baseDate: asOf });
      log(`demo data loaded in ${(s.ms / 1000).toFixed(1)} s: ${s.orders} orders over the 90 days before ${s.baseDate}, ${s.customers} customers, ${s.variants} variants at ${s.locations} locations (SEED_DEMO=false to skip)`);
    } else {
      log(`orders in the ledger: ${rows[0]!.n}${rows[0]!.n === 0 ? ' (demo seeding off)' : ''}`);
    }

    const servesApi = role !== 'worker';
    const runsWorkers = role !== 'api';
    const metrics = createMetricsRegistry({ db });
    const tracing = await startTracing(config);
    if (tracing) {
      stops.push(() => tracing.shutdown());
      log(`tracing: spans to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces as ${config.OTEL_SERVICE_NAME}`);
    }
    const jobObserver = tracing ? allObservers(metrics.jobs, tracing.jobs) : metrics.jobs;
    const { queue, alerts, storefronts, sms, mailer, breakers, summary } = composeServices(config, {
      db,
      log,
      // A caller that takes the lines itself (options.log) takes the alerts' lines too.
      ...(options.log ? {} : { logger }),
      jobObserver,
    });
    metrics.watchCircuits(breakers);
    const signingSecret = await loadSigningSecret(db, config.SIGNING_SECRET);
    let ownUrl = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`;
    const publicUrl = () => config.PUBLIC_URL ?? ownUrl;
    stops.push(() => queue.close());
    for (const line of summary) log(line);
    log(`role: ${role === 'all' ? 'API and workers' : role === 'api' ? 'API only (workers run in `orderops worker`)' : 'worker (no HTTP API)'}`);
    log(`model: ${config.ANTHROPIC_API_KEY ? `Claude ${config.ANTHROPIC_MODEL} (anthropic)` : 'offline intent model (set ANTHROPIC_API_KEY for Claude)'}`);
    const slackOn = Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN));
    log(`Slack: ${slackOn ? (config.SLACK_APP_TOKEN ? 'on (Socket Mode)' : 'on (HTTP events)') : 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}`);
    log(`email out: ${config.SMTP_URL ? 'SMTP_URL' : `.eml files under ${config.DATA_DIR}/outbox`}; email in: SMTP on ${config.SMTP_HOST}:${config.SMTP_PORT}`);

    const health = createHealthRegistry();
    const subscribers: OutboxSubscriber[] = [jobRetrySubscriber(queue)];
    const onOutbox = (topic: string, handle: OutboxHandler, name?: string) => {
      const position = subscribers.filter((s) => s.topic === topic).length;
      subscribers.push({ topic, name: name ?? `${topic}#${position + 1}`, handle });
    };
    const notifiers: ApprovalNotifier[] = [];
    // Reads the list at call time, so channels can add their hooks after the agent exists.
    const agent = createAgentService({
      db,
      config,
      inbox: inboxReader(db),
      notifier: {
        // Each channel's hook runs on its own: a failed Slack post must not stop the customer's mail.
        created: async (a) => { for (const n of notifiers) await notifySafely(n.created, a, log); },
        decided: async (a) => { for (const n of notifiers) await notifySafely(n.decided, a, log); },
        expired: async (a) => { for (const n of notifiers) await notifySafely(n.expired, a, log); },
      },
    });
    const addApprovalNotifier = (n: ApprovalNotifier) => void notifiers.push(n);
    // The API decides approvals through this same agent, so its notifiers hear of those decisions too.
    const app = buildServer({ db, config, queue, health, agent, metrics, logger, ...(tracing ? { tracer: tracing.tracer } : {}), routes: options.routes ?? [] });
    stops.push(() => closeServerGracefully(app));
    const periodic = createPeriodicTasks(db, log);
    for (const extension of options.extensions ?? []) {
      const stop = await extension({
        db, config, queue, app, log, logger, onOutbox, agent, addApprovalNotifier, health, alerts, storefronts, sms, mailer, publicUrl, signingSecret, role, servesApi, runsWorkers,
        every: periodic.every,
      });
      if (stop) stops.push(stop);
    }
    let outbox: OutboxDispatcher | null = null;
    if (runsWorkers) {
      await queue.start();
      // Expiry does not depend on any channel: a request nobody decides must still lapse and be reported.
      periodic.every('approval expiry sweep', APPROVAL_EXPIRY_SWEEP_MS, () => agent.approvals.expireApprovals());
      const dispatcher = createOutboxDispatcher(db, { subscribers, leaseMs: config.JOB_LEASE_MS, log, observer: jobObserver });
      await dispatcher.start();
      stops.push(() => dispatcher.stop());
      outbox = dispatcher;
    }

    // Stopped first on shutdown: no new run starts, and a run in progress finishes.
    stops.push(() => periodic.stop());

    let url = '';
    if (servesApi) {
      await app.listen({ host: config.HOST, port: config.PORT });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
      ownUrl = url;
      log(`HTTP API listening on ${url} (GET /healthz, POST /api/orders)`);
    } else {
      await app.ready();
      log('worker running: job handlers, outbox dispatch and schedules');
    }

    let stopped = false;
    return {
      app,
      db,
      queue,
      outbox,
      url,
      logger,
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const stop of stops.reverse()) await stop().catch((err: unknown) => log(`shutdown: ${(err as Error).message}`));
        if (ownDb) await db.close();
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (ownDb) await db.close().catch(() => undefined);
    throw err;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
