import { createHash } from 'node:crypto';
import type { AgentService } from '../../agent/agent-service.js';
import type { ApprovalService } from '../../agent/approval-service.js';
import type { ApprovalNotifier } from '../../agent/approval-notifier.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUES } from '../../jobs/queue-names.js';
import type { RoutePlugin } from '../../server/route-plugin.js';
import { createApprovalOutcomeMailer, type ApprovalOutcomeMailer } from './approval-outcome-mailer.js';
import { createEmailDelivery, type EmailDelivery } from './email-delivery.js';
import { createEmailThreadStore, type EmailThreadStore } from './email-thread-store.js';
import { systemDnsResolver, type DnsResolver } from './first-hop-authentication.js';
import { startImapPoller, type ImapPoller } from './imap-poller.js';
import type { InboundEmail } from './inbound-email.js';
import { createInboundEmailHandler, type InboundEmailHandler } from './inbound-email-handler.js';
import { inboundWebhookRoute } from './inbound-webhook-route.js';
import { createMailboxConfirmation } from './mailbox-confirmation.js';
import { createOutboundMailer, type OutboundMailer } from './outbound-mailer.js';
import { startSmtpInboundServer, type SmtpInboundServer } from './smtp-inbound-server.js';
import type { UnparseableEmail } from './unparseable-email.js';
import { defaultLogger, logLine } from '../../config/logger.js';

/** What the channel needs of the agent service. */
export type EmailAgentPort = Pick<AgentService, 'runTurn'> &
  Partial<Pick<AgentService, 'resumeAfterDecision'>> & { approvals: Pick<ApprovalService, 'issueConfirmation' | 'confirmRequester'> };

export interface EmailChannelDeps {
  db: Db;
  config: Config;
  /**
   * The agent, when it already exists. Usually it does not yet: the agent service takes this
   * channel's approval notifier, so wiring creates the channel, then the agent, then `attach(agent)`.
   */
  agent?: EmailAgentPort;
  /** When given, inbound mail and outbound delivery run as jobs (retried); otherwise inline. */
  queue?: JobQueue;
  mailer?: OutboundMailer;
  /** DNS for the SMTP door's own SPF/DKIM/DMARC check (when it is the first hop); the system's by default. */
  resolver?: DnsResolver;
  /** The signed link of an order's public tracking page (notificationLinks(...).trackingPage). */
  trackingPage: (orderId: string) => string;
  log?: (message: string) => void;
}

export interface EmailChannel {
  store: EmailThreadStore;
  handler: InboundEmailHandler;
  delivery: EmailDelivery;
  mailer: OutboundMailer;
  /** Compose into the agent's notifier: mails the customer an approval's outcome. */
  approvalNotifier: ApprovalNotifier;
  /** Mails outcomes of email approvals decided where this notifier did not hear of it (see ApprovalOutcomeMailer.catchUp). */
  sweepApprovalOutcomes: ApprovalOutcomeMailer['catchUp'];
  /** `POST /webhooks/email/inbound`, for `buildServer({ routes })`. */
  routes: RoutePlugin;
  /** What every inbound door calls: queues the mail (or handles it inline without a queue). */
  accept(mail: InboundEmail): Promise<void>;
  /** Gives the channel its agent and registers the inbound and outbound job handlers; call before `queue.start()`. */
  attach(agent: EmailAgentPort): void;
  /** Opens the SMTP door on SMTP_PORT (0 = any free port) and, with IMAP_URL, the IMAP poller. */
  start(options?: { smtpPort?: number }): Promise<{ smtpPort: number }>;
  stop(): Promise<void>;
}

/** The authserv-id the SMTP door writes as first hop: the support address's domain, as its MX would. */
export const firstHopAuthservId = (supportAddress: string): string => (supportAddress.split('@')[1] ?? 'orderops.local').toLowerCase();

const inboundJobId = (messageId: string) => `email-in-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;

/**
 * The tries of one outbound mail: 1 s apart, doubling, ten in all, so the last comes about 8.5
 * minutes after the first. An SMTP relay that restarts or is down for maintenance refuses for
 * minutes (421, no connection, then the open circuit), and a few quick retries would put every
 * mail of that time on the dead-letter list.
 */
const OUTBOUND_RETRIES = { attempts: 10, backoffMs: 1_000 };

/**
 * The customer email channel, wired: doors in, the handler, delivery out, approval outcomes.
 *
 * Order of use (as for Slack): create → give `approvalNotifier` to the agent service →
 * `attach(agent)` (before `queue.start()`) → mount `routes` on the server → `start()`.
 */
export function createEmailChannel(deps: EmailChannelDeps): EmailChannel {
  const { db, config, queue } = deps;
  const log = deps.log ?? logLine(defaultLogger().child({ component: 'email' }), 'warn');
  const store = createEmailThreadStore(db);
  const mailer = deps.mailer ?? createOutboundMailer(config);
  const delivery = createEmailDelivery({
    store,
    mailer,
    supportAddress: config.SUPPORT_EMAIL,
    storeName: config.STORE_NAME,
    ...(queue
      ? { dispatch: async (messageId: string) => void (await queue.enqueue(QUEUES.emailOutbound, { messageId }, { jobId: `email-out-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`, ...OUTBOUND_RETRIES })) }
      : {}),
  });
  let agent = deps.agent;
  const agentPort: Pick<AgentService, 'runTurn'> = {
    runTurn: (input) => {
      if (!agent) throw new Error('email channel: attach(agent) before mail is handled');
      return agent.runTurn(input);
    },
  };
  const confirmation = createMailboxConfirmation({
    store,
    delivery,
    approvals: () => {
      if (!agent) throw new Error('email channel: attach(agent) before mail is handled');
      return agent.approvals;
    },
    supportAddress: config.SUPPORT_EMAIL,
    storeName: config.STORE_NAME,
  });
  const handler = createInboundEmailHandler({ db, config, store, delivery, agent: agentPort, confirmation, trackingPage: deps.trackingPage, log });
  const outcomeMailer = createApprovalOutcomeMailer({
    store,
    delivery,
    storeName: config.STORE_NAME,
    log,
    followUp: async (id: string) => (agent?.resumeAfterDecision ? ((await agent.resumeAfterDecision(id))?.reply ?? null) : null),
  });
  let smtp: SmtpInboundServer | undefined;
  let imap: ImapPoller | undefined;

  const unparseable = async (mail: UnparseableEmail): Promise<void> => {
    if (await store.keepUnparseable(mail)) log(`email ${mail.messageId} from ${mail.from || 'unknown sender'} kept for a person: ${mail.reason}`);
  };

  const accept = async (mail: InboundEmail): Promise<void> => {
    if (queue) {
      await queue.enqueue(QUEUES.emailInbound, mail, { jobId: inboundJobId(mail.messageId), attempts: 3 });
      return;
    }
    await handler.handle(mail);
  };

  return {
    store,
    handler,
    delivery,
    mailer,
    approvalNotifier: { decided: outcomeMailer.decided!, expired: outcomeMailer.expired! },
    sweepApprovalOutcomes: (list) => outcomeMailer.catchUp(list),
    routes: inboundWebhookRoute({ secret: config.EMAIL_INBOUND_SECRET, maxBytes: config.EMAIL_MAX_BYTES, accept, unparseable }),
    accept,
    attach(port) {
      agent = port;
      if (!queue) return;
      queue.register<InboundEmail>(QUEUES.emailInbound, async (mail) => void (await handler.handle(mail)), { concurrency: 8 });
      queue.register<{ messageId: string }>(QUEUES.emailOutbound, async ({ messageId }) => delivery.deliver(messageId), { concurrency: 4 });
    },
    async start(options = {}) {
      smtp = await startSmtpInboundServer({
        host: config.SMTP_HOST,
        port: options.smtpPort ?? config.SMTP_PORT,
        maxBytes: config.EMAIL_MAX_BYTES,
        recipients: [config.SUPPORT_EMAIL, ...config.EMAIL_ALIASES],
        perIpPerMinute: { connections: config.SMTP_IP_CONNECTIONS_PER_MINUTE, messages: config.SMTP_IP_MESSAGES_PER_MINUTE },
        unparseable,
        accept,
        // Behind an MX the connecting IP is the MX's, so only its Authentication-Results can tell.
        ...(config.EMAIL_AUTHSERV_ID
          ? { trustedRelay: { authservId: config.EMAIL_AUTHSERV_ID, relays: config.EMAIL_TRUSTED_RELAYS } }
          : { senderCheck: { authservId: firstHopAuthservId(config.SUPPORT_EMAIL), resolver: deps.resolver ?? systemDnsResolver() } }),
        log,
      });
      if (config.IMAP_URL) {
        imap = startImapPoller({
          url: config.IMAP_URL,
          mailbox: config.IMAP_MAILBOX,
          intervalMs: config.IMAP_POLL_SECONDS * 1000,
          maxBytes: config.EMAIL_MAX_BYTES,
          accept,
          unparseable,
          log,
        });
      }
      return { smtpPort: smtp.port };
    },
    async stop() {
      await imap?.stop();
      await smtp?.close();
      await mailer.close();
    },
  };
}
