import { WebClient } from '@slack/web-api';
import type { AlertSink } from '../anomaly/alert-sink.js';
import { createLoggingAlertSink } from '../anomaly/logging-alert-sink.js';
import { createSlackAlertSink } from '../channels/slack/slack-alert-sink.js';
import type { Db } from '../db/db.js';
import type { JobObserver } from '../jobs/job-observer.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { observeJobQueue } from '../jobs/observe-job-queue.js';
import { openQueue } from '../jobs/open-queue.js';
import { recordFailedJob } from '../jobs/record-failed-job.js';
import type { Config } from './config.js';
import { sharedStorefronts, type Storefronts } from './shared-storefronts.js';
import type { SmsSender } from '../notifications/sms-sender.js';
import { openSmsSender } from './open-sms-sender.js';
import { createOutboundMailer, type OutboundMailer } from '../channels/email/outbound-mailer.js';
import { guardMailer } from '../channels/email/guard-mailer.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import { openCircuitBreakers, provideCircuitBreakers } from './shared-circuit-breakers.js';
import { logLine, type Logger, type LogLine } from './logger.js';

/** The adapters a running orderops uses, picked from the config in this one place. */
export interface Services {
  /** BullMQ on REDIS_URL or the in-process runner; a job failing its last attempt goes on the dead-letter list. */
  queue: JobQueue;
  /** Where anomaly alerts go: the Slack alerts channel when Slack is configured, otherwise the log. */
  alerts: AlertSink;
  /** The storefront adapters (Shopify, WooCommerce) the settings turn on; none by default. */
  storefronts: Storefronts;
  /** Text messages: Twilio when TWILIO_* is set, otherwise files under DATA_DIR/sms-outbox/. */
  sms: SmsSender;
  /** Mail out, one for every sender (replies, approval outcomes, notifications): SMTP_URL or .eml files under DATA_DIR/outbox/. */
  mailer: OutboundMailer;
  /** One circuit per outside service (carriers, Twilio, SMTP, each storefront), shared by every adapter of it. */
  breakers: CircuitBreakers;
  /** One line per adapter saying what was picked, for the start-up log. */
  summary: string[];
}

/**
 * The composition root: picks each adapter from the config. Nothing here talks to an outside
 * service yet (clients connect on first use), so start-up never waits on one.
 */
export function composeServices(config: Config, deps: { db: Db; log: LogLine; logger?: Logger; jobObserver?: JobObserver }): Services {
  const opened = openQueue(config, {
    // The dead-letter list is where a failed job is seen (GET /api/jobs/failed, the metrics): an
    // outside service that is down fills it, not the log.
    onFailed: (failure) => {
      recordFailedJob(deps.db, failure).catch((err: unknown) =>
        deps.log(`job ${failure.queue}/${failure.jobId} could not be put on the dead-letter list: ${(err as Error).message}`),
      );
    },
  });
  // Every handler registered from here on is timed, whichever queue runs it (metrics).
  const queue = deps.jobObserver ? observeJobQueue(opened, deps.jobObserver) : opened;
  const alerts = config.SLACK_BOT_TOKEN
    ? createSlackAlertSink({
        db: deps.db,
        client: new WebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
        channel: config.SLACK_ALERTS_CHANNEL,
        log: deps.log,
      })
    : createLoggingAlertSink(deps.logger ? logLine(deps.logger.child({ component: 'alerts' }), 'warn') : deps.log);
  const breakers = provideCircuitBreakers(config, openCircuitBreakers(config, deps.log));
  const storefronts = sharedStorefronts(config, deps.log, breakers);
  const sms = openSmsSender(config, breakers);
  const outbound = createOutboundMailer(config);
  const mailer = outbound.kind === 'smtp' ? guardMailer(outbound, breakers.for('smtp')) : outbound;
  return {
    queue,
    alerts,
    storefronts,
    sms,
    mailer,
    breakers,
    summary: [
      `jobs: ${queue.kind === 'bullmq' ? `BullMQ on REDIS_URL (prefix ${config.QUEUE_PREFIX})` : 'in-process runner (set REDIS_URL for BullMQ)'}; outbox events dispatched from the database`,
      `alerts: ${config.SLACK_BOT_TOKEN ? 'Slack alerts channel' : 'the log (set SLACK_BOT_TOKEN)'}`,
      `SMS: ${sms.kind === 'twilio' ? `Twilio (${config.TWILIO_API_URL})` : `files under ${config.DATA_DIR}/sms-outbox (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM)`}`,
      `storefronts: ${storefronts.channels.length ? storefronts.channels.map((c) => c.channel).join(', ') : 'none (set SHOPIFY_* or WOOCOMMERCE_*)'}`,
    ],
  };
}
