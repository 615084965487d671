import type { FastifyInstance } from 'fastify';
import { createAgentService, type AgentService } from '../agent/agent-service.js';
import { notifySafely, type ApprovalNotifier } from '../agent/approval-notifier.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Carrier } from '../domain/shipping/carrier.js';
import { provideCarriers } from '../config/shared-carriers.js';
import { migrate } from '../db/migrate.js';
import { openSharedDb, SERVER_COMMAND } from '../db/open-shared-db.js';
import { seedDemo } from '../demo/seed-demo.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { openQueue } from '../jobs/open-queue.js';
import { registerOutboxHandlers, startOutboxRelay, type OutboxHandler } from '../jobs/outbox-relay.js';
import { buildServer } from './build-server.js';
import { createHealthRegistry, type HealthRegistry } from './health-registry.js';
import type { RoutePlugin } from './route-plugin.js';

const APPROVAL_EXPIRY_SWEEP_MS = 60_000;

export interface AppContext {
  db: Db;
  config: Config;
  queue: JobQueue;
  app: FastifyInstance;
  log: (line: string) => void;
  /** The one agent every channel talks to, so an approval opened by email is seen by Slack. */
  agent: AgentService;
  /** Adds hooks called when an approval is created, decided or expires (Slack posts, email mails). */
  addApprovalNotifier: (notifier: ApprovalNotifier) => void;
  /** Subscribes a handler to an outbox topic (order.created, inventory.movement ...). */
  onOutbox: (topic: string, handler: OutboxHandler) => void;
  /** Where a part reports an outside service it depends on; `/healthz` shows each one. */
  health: HealthRegistry;
}

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
  log?: (line: string) => void;
  /** Carrier adapters to use instead of those CARRIERS opens (tests with a local carrier or clock). */
  carriers?: readonly Carrier[];
}

export interface RunningApp {
  app: FastifyInstance;
  db: Db;
  queue: JobQueue;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts orderops: database (migrated, demo-seeded when empty and SEED_DEMO is on), job queue,
 * outbox relay, extensions, HTTP server on HOST:PORT. Logs one line per part saying what runs,
 * so an operator sees at a glance whether the model is Claude or offline, Slack on or off.
 */
export async function startApp(config: Config, options: StartAppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => console.log(`orderops: ${line}`));
  if (!config.API_TOKEN && !isLoopback(config.HOST)) {
    // Orders, customers and payment methods must never be readable from the network unauthenticated.
    const channelsOnly = config.API_TOKENS.length > 0
      ? ': API_TOKENS alone is not enough, because reading orders, customers and the dashboard needs API_TOKEN'
      : '';
    throw new Error(`API_TOKEN must be set when HOST (${config.HOST}) is not a loopback address${channelsOnly}`);
  }
  const stops: (() => Promise<void>)[] = [];
  if (options.carriers) provideCarriers(config, options.carriers);
  const ownDb = !options.db;
  // Owns DATA_DIR's PGlite (or refuses: DataDirLockedError) and shares it with orderops commands.
  const db = options.db ?? (await openSharedDb(config, { command: SERVER_COMMAND, share: true, log }));
  try {
    log(`database: ${db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite under ${config.DATA_DIR}/pglite`}`);
    const applied = await migrate(db);
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');

    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    if (rows[0]!.n === 0 && config.SEED_DEMO) {
      // The same generated store, shifted so its 90 days of history end at the current hour.
      const asOf = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      const s = await seedDemo(db, { baseDate: asOf });
      log(`demo data loaded in ${(s.ms / 1000).toFixed(1)} s: ${s.orders} orders over the 90 days before ${s.baseDate}, ${s.customers} customers, ${s.variants} variants at ${s.locations} locations (SEED_DEMO=false to skip)`);
    } else {
      log(`orders in the ledger: ${rows[0]!.n}${rows[0]!.n === 0 ? ' (demo seeding off)' : ''}`);
    }

    const queue = openQueue(config, (err, job) =>
      log(`job ${job.queue}/${job.jobId} failed for good: ${(err as Error)?.message ?? String(err)}`),
    );
    stops.push(() => queue.close());
    log(`jobs: ${queue.kind === 'bullmq' ? 'BullMQ on REDIS_URL' : 'in-process runner (set REDIS_URL for BullMQ)'}`);
    log(`model: ${config.ANTHROPIC_API_KEY ? `Claude ${config.ANTHROPIC_MODEL} (anthropic)` : 'offline intent model (set ANTHROPIC_API_KEY for Claude)'}`);
    const slackOn = Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN));
    log(`Slack: ${slackOn ? (config.SLACK_APP_TOKEN ? 'on (Socket Mode)' : 'on (HTTP events)') : 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}`);
    log(`email out: ${config.SMTP_URL ? 'SMTP_URL' : `.eml files under ${config.DATA_DIR}/outbox`}; email in: SMTP on ${config.SMTP_HOST}:${config.SMTP_PORT}`);

    const health = createHealthRegistry();
    const app = buildServer({ db, config, queue, health, routes: options.routes ?? [] });
    stops.push(() => app.close());
    const outboxHandlers: Record<string, OutboxHandler[]> = {};
    const onOutbox = (topic: string, handler: OutboxHandler) => {
      (outboxHandlers[topic] ??= []).push(handler);
    };
    const notifiers: ApprovalNotifier[] = [];
    // Reads the list at call time, so channels can add their hooks after the agent exists.
    const agent = createAgentService({
      db,
      config,
      notifier: {
        // Each channel's hook runs on its own: a failed Slack post must not stop the customer's mail.
        created: async (a) => { for (const n of notifiers) await notifySafely(n.created, a, log); },
        decided: async (a) => { for (const n of notifiers) await notifySafely(n.decided, a, log); },
        expired: async (a) => { for (const n of notifiers) await notifySafely(n.expired, a, log); },
      },
    });
    const addApprovalNotifier = (n: ApprovalNotifier) => void notifiers.push(n);
    for (const extension of options.extensions ?? []) {
      const stop = await extension({ db, config, queue, app, log, onOutbox, agent, addApprovalNotifier, health });
      if (stop) stops.push(stop);
    }
    registerOutboxHandlers(queue, outboxHandlers);
    await queue.start();
    // Expiry does not depend on any channel: a request nobody decides must still lapse and be reported.
    const expiry = setInterval(() => {
      agent.approvals.expireApprovals().catch((err: unknown) => log(`approval expiry sweep: ${(err as Error).message}`));
    }, APPROVAL_EXPIRY_SWEEP_MS);
    expiry.unref();
    stops.push(async () => clearInterval(expiry));
    stops.push(startOutboxRelay(db, queue, { onError: (err) => log(`outbox relay: ${(err as Error).message}`) }));

    await app.listen({ host: config.HOST, port: config.PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    log(`HTTP API listening on ${url} (GET /healthz, POST /api/orders)`);

    let stopped = false;
    return {
      app,
      db,
      queue,
      url,
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
