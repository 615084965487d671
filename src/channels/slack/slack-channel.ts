import { LogLevel, SocketModeReceiver, type App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { ApprovalNotifier } from '../../agent/approval-notifier.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUES } from '../../jobs/queue-names.js';
import type { RoutePlugin } from '../../server/route-plugin.js';
import { FastifySlackReceiver } from './receivers/fastify-slack-receiver.js';
import type { SlackAgentPort, SlackApprovalsPort } from './slack-agent-port.js';
import { createSlackAlertSink, type SlackAlertSink } from './slack-alert-sink.js';
import { buildSlackApp } from './slack-app.js';
import { createSlackApprovalNotifier } from './slack-approval-notifier.js';
import { createSlackApproverCheck } from './slack-approver-check.js';
import { createSlackJobHandler } from './slack-job-handler.js';
import type { SlackJob } from './slack-job.js';

/**
 * Slack, wired: the notifier and alert sink other modules use, the HTTP routes for the API
 * server (or a Socket Mode connection), and the job handler for turns and decisions.
 *
 * Order of use: create → give `notifier` to the agent service → `attach({ agent, approvals })`
 * (registers the job handler; before `queue.start()`) → mount `routes` on the server → `start()`.
 */
export interface SlackChannel {
  readonly mode: 'http' | 'socket';
  readonly client: WebClient;
  readonly notifier: ApprovalNotifier;
  readonly alertSink: SlackAlertSink;
  /** POST /slack/events, /slack/interactivity, /slack/commands (HTTP mode; empty in Socket Mode). */
  readonly routes: RoutePlugin;
  attach(ports: { agent: SlackAgentPort; approvals: SlackApprovalsPort }): Promise<App>;
  start(): Promise<void>;
  /** Resolves when every Slack request received so far has been handled (HTTP mode). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface SlackChannelDeps {
  config: Config;
  db: Db;
  queue: JobQueue;
  log?: (msg: string) => void;
}

/** Why Slack stays off with this configuration, or null when it can run. */
export function slackOffReason(config: Config): string | null {
  if (!config.SLACK_BOT_TOKEN) return 'SLACK_BOT_TOKEN is not set';
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    return 'set SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode)';
  }
  return null;
}

const boltLogLevel = (level: Config['LOG_LEVEL']): LogLevel =>
  level === 'debug' || level === 'trace' ? LogLevel.DEBUG : level === 'info' || level === 'warn' ? LogLevel.WARN : LogLevel.ERROR;

/** The Slack channel, or null (after logging why) when it is not configured. */
export function createSlackChannel(deps: SlackChannelDeps): SlackChannel | null {
  const { config, db, queue } = deps;
  const log = deps.log ?? ((m: string) => console.log(m));
  const off = slackOffReason(config);
  if (off) {
    log(`Slack off: ${off}.`);
    return null;
  }
  const botToken = config.SLACK_BOT_TOKEN!;
  const slackApiUrl = config.SLACK_API_URL;
  const client = new WebClient(botToken, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    logLevel: boltLogLevel(config.LOG_LEVEL),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200 },
  });
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const httpReceiver = socketMode ? undefined : new FastifySlackReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, log });
  const receiver = httpReceiver ?? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN!, logLevel: boltLogLevel(config.LOG_LEVEL) });
  const notifier = createSlackApprovalNotifier({ db, client, alertsChannel: config.SLACK_ALERTS_CHANNEL, log });
  const alertSink = createSlackAlertSink({ db, client, channel: config.SLACK_ALERTS_CHANNEL, log });
  let app: App | undefined;

  return {
    mode: socketMode ? 'socket' : 'http',
    client,
    notifier,
    alertSink,
    routes: async (scope, serverDeps) => {
      if (httpReceiver) await httpReceiver.routes(scope, serverDeps);
    },
    async attach({ agent, approvals }) {
      const approverCheck = createSlackApproverCheck({ client, approvers: config.SLACK_APPROVERS });
      app = buildSlackApp({
        botToken,
        ...(slackApiUrl ? { slackApiUrl } : {}),
        receiver,
        deps: { db, queue, approvals, approverCheck, log },
        logLevel: boltLogLevel(config.LOG_LEVEL),
      });
      // Embedded PGlite runs one query at a time on this process's event loop: more turns at once
      // add no throughput there, only delay the acks Slack is waiting for.
      const concurrency = db.kind === 'pglite' ? 1 : 8;
      queue.register<SlackJob>(QUEUES.slackTurn, createSlackJobHandler({ db, client, agent, approvals, log, ...(httpReceiver ? { inboundLull: () => httpReceiver.lull() } : {}) }), { concurrency });
      await app.init();
      return app;
    },
    async start() {
      if (!app) throw new Error('attach the Slack channel to the agent before starting it');
      await app.start();
      log(socketMode ? 'Slack on: Socket Mode connected.' : 'Slack on: events at POST /slack/events, /slack/interactivity, /slack/commands.');
    },
    async settled() {
      await httpReceiver?.settled();
    },
    async stop() {
      await app?.stop();
    },
  };
}
