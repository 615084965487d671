import { LogLevel, SocketModeReceiver, type App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { ApprovalNotifier } from '../../agent/approval-notifier.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUES } from '../../jobs/queue-names.js';
import type { BackoffOptions } from '../../server/backoff-delay.js';
import { connectInBackground } from '../../server/connect-in-background.js';
import type { DependencyHealth } from '../../server/health-registry.js';
import type { RoutePlugin } from '../../server/route-plugin.js';
import { FastifySlackReceiver } from './receivers/fastify-slack-receiver.js';
import type { SlackAgentPort, SlackApprovalsPort } from './slack-agent-port.js';
import { createSlackAlertSink, type SlackAlertSink } from './slack-alert-sink.js';
import { buildSlackApp } from './slack-app.js';
import { createSlackApprovalNotifier } from './slack-approval-notifier.js';
import { createSlackApproverCheck } from './slack-approver-check.js';
import { slackErrorText } from './slack-error-text.js';
import { createSlackEventHold } from './slack-held-events.js';
import { createSlackJobHandler } from './slack-job-handler.js';
import type { SlackJob } from './slack-job.js';
import { createSlackMembership } from './slack-membership.js';
import { createSlackOpsAccess, describeSlackOpsAccess, slackOpsChannels, slackOpsTeamIds, type SlackWorkspace } from './slack-ops-access.js';
import { createSlackUserGroupMembers } from './slack-user-group-members.js';
import { slackSdkLogger } from './slack-sdk-logger.js';
import { defaultLogger, logLine } from '../../config/logger.js';

/**
 * Slack, wired: the notifier and alert sink other modules use, the HTTP routes for the API
 * server (or a Socket Mode connection), and the job handler for turns and decisions.
 *
 * Order of use: create → give `notifier` to the agent service → `attach({ agent, approvals })`
 * (registers the job handler; before `queue.start()`) → mount `routes` on the server → `start()`.
 * `start()` returns at once: Slack connects in the background (auth.test, then the Bolt app),
 * retrying with backoff, and `health()` says how far it got.
 */
export interface SlackChannel {
  readonly mode: 'http' | 'socket';
  readonly client: WebClient;
  readonly notifier: ApprovalNotifier;
  readonly alertSink: SlackAlertSink;
  /** POST /slack/events, /slack/interactivity, /slack/commands (HTTP mode; empty in Socket Mode). */
  readonly routes: RoutePlugin;
  attach(ports: { agent: SlackAgentPort; approvals: SlackApprovalsPort }): void;
  start(): void;
  health(): DependencyHealth;
  /** Resolves once Slack answered and the app processes requests. */
  whenReady(): Promise<void>;
  /** Resolves when every Slack request received so far has been handled (HTTP mode). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** How patiently Slack is reached at start-up; the defaults suit production. */
export interface SlackConnectOptions {
  retry?: BackoffOptions;
  /** One connection attempt (auth.test) gives up after this long: a black-holed route must not hang it. */
  attemptTimeoutMs?: number;
}

export interface SlackChannelDeps {
  config: Config;
  db: Db;
  queue: JobQueue;
  log?: (msg: string) => void;
  connect?: SlackConnectOptions;
}

const DEFAULT_RETRY: BackoffOptions = { firstDelayMs: 1_000, maxDelayMs: 60_000 };
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
// Web API calls after start-up: a few quick retries, never the SDK's default half hour.
const CLIENT_RETRY = { retries: 2, factor: 2, minTimeout: 200 };

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
  const log = deps.log ?? logLine(defaultLogger().child({ component: 'slack' }));
  const off = slackOffReason(config);
  if (off) {
    log(`Slack off: ${off}.`);
    return null;
  }
  const botToken = config.SLACK_BOT_TOKEN!;
  const slackApiUrl = config.SLACK_API_URL;
  const logLevel = boltLogLevel(config.LOG_LEVEL);
  const apiUrl = slackApiUrl ? { slackApiUrl } : {};
  const sdkLogger = () => slackSdkLogger(defaultLogger());
  const client = new WebClient(botToken, { ...apiUrl, logger: sdkLogger(), logLevel, retryConfig: CLIENT_RETRY });
  // Start-up's own client: no SDK retries (the backoff below is the retry) and a timeout.
  const probe = new WebClient(botToken, { ...apiUrl, logger: sdkLogger(), logLevel, retryConfig: { retries: 0 }, timeout: deps.connect?.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS });
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const httpReceiver = socketMode ? undefined : new FastifySlackReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, log, hold: createSlackEventHold(db) });
  const receiver = httpReceiver ?? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN!, logger: sdkLogger(), logLevel });
  const notifier = createSlackApprovalNotifier({ db, client, alertsChannel: config.SLACK_ALERTS_CHANNEL, log });
  const alertSink = createSlackAlertSink({ db, client, channel: config.SLACK_ALERTS_CHANNEL, log });
  const groupMembers = createSlackUserGroupMembers({ client });
  const approverCheck = createSlackApproverCheck({ client, approvers: config.SLACK_APPROVERS, groupMembers });
  const ops = createSlackMembership(slackOpsTeamIds(config), groupMembers);
  log(describeSlackOpsAccess(config));

  let approvals: SlackApprovalsPort | undefined;
  let workspace: (SlackWorkspace & { botUserId: string; botId: string }) | undefined;
  let app: App | undefined;
  let appStarted = false;

  // Each step is kept once done, so a retry repeats only what failed.
  async function connectOnce(): Promise<void> {
    if (!approvals) throw new Error('attach the Slack channel to the agent before starting it');
    if (!workspace) {
      const who = await probe.auth.test();
      if (!who.team_id || !who.user_id || !who.bot_id) throw new Error('auth.test did not name the team and bot user');
      workspace = { teamId: who.team_id, ...(who.enterprise_id ? { enterpriseId: who.enterprise_id } : {}), botUserId: who.user_id, botId: who.bot_id };
    }
    if (!app) {
      const access = createSlackOpsAccess({ workspace, ops, channels: slackOpsChannels(config), log });
      app = buildSlackApp({
        botToken,
        botUserId: workspace.botUserId,
        botId: workspace.botId,
        ...apiUrl,
        receiver,
        deps: { db, queue, approvals, approverCheck, access, log },
        logLevel,
        logger: sdkLogger(),
        clientRetry: CLIENT_RETRY,
      });
    }
    if (!appStarted) {
      await app.start();
      appStarted = true;
      log(socketMode ? 'Slack on: Socket Mode connected.' : 'Slack on: events at POST /slack/events, /slack/interactivity, /slack/commands.');
    }
  }

  const connection = connectInBackground({
    attempt: () =>
      connectOnce().catch((err: unknown) => {
        throw new Error(slackErrorText(err));
      }),
    retry: deps.connect?.retry ?? DEFAULT_RETRY,
    onFailure: (err, delay) => log(`Slack not reachable yet (${err.message}); next attempt in ${(delay / 1000).toFixed(1)} s. Everything else keeps running.`),
  });

  return {
    mode: socketMode ? 'socket' : 'http',
    client,
    notifier,
    alertSink,
    routes: async (scope, serverDeps) => {
      if (httpReceiver) await httpReceiver.routes(scope, serverDeps);
    },
    attach(ports) {
      approvals = ports.approvals;
      // Embedded PGlite runs one query at a time on this process's event loop: more turns at once
      // add no throughput there, only delay the acks Slack is waiting for.
      const concurrency = db.kind === 'pglite' ? 1 : 8;
      queue.register<SlackJob>(
        QUEUES.slackTurn,
        createSlackJobHandler({ db, client, agent: ports.agent, approvals: ports.approvals, log, ...(httpReceiver ? { inboundLull: () => httpReceiver.lull() } : {}) }),
        { concurrency },
      );
    },
    start() {
      if (!approvals) throw new Error('attach the Slack channel to the agent before starting it');
      connection.start();
    },
    health: () => connection.health(),
    whenReady: () => connection.whenReady(),
    async settled() {
      await httpReceiver?.settled();
    },
    async stop() {
      connection.stop();
      // Also when a Socket Mode start is still under way: its own reconnect loop must end too.
      if (app) await app.stop().catch((err: unknown) => log(`Slack stop: ${(err as Error).message}`));
    },
  };
}
