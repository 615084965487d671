import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { createAgentService, type AgentService } from '../../src/agent/agent-service.js';
import type { ModelProvider } from '../../src/agent/providers/model-provider.js';
import { createEmailChannel, type EmailChannel } from '../../src/channels/email/email-channel.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { createInProcessQueue } from '../../src/jobs/in-process-queue.js';
import { notificationLinks, type NotificationLinks } from '../../src/notifications/notification-links.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { startCaptureSmtpServer, type CaptureSmtpServer } from './capture-smtp-server.js';
import { createTestDns, type DkimIdentity, type TestDns } from './test-dns.js';

export const SUPPORT = 'support@shop.example';
/** The links replies carry, as the running service signs them. */
export const HARNESS_LINKS: NotificationLinks = notificationLinks('https://shop.example', 'email-harness-signing-secret-0123456789');

export interface EmailHarness {
  config: Config;
  capture: CaptureSmtpServer;
  queue: JobQueue;
  email: EmailChannel;
  agent: AgentService;
  smtpPort: number;
  logs: string[];
  /** The DNS our SMTP door checks senders against; tests publish records in it. */
  dns: TestDns;
  /**
   * Sends one mail over SMTP into our inbound server, as a customer's mail server would. By
   * default the mail is DKIM-signed for its From domain with a key the test DNS publishes (a
   * sender whose domain authenticates its mail); `sign: false` sends it unsigned, and a given
   * identity signs with that key instead.
   */
  send(mail: SendMailOptions, options?: { sign?: boolean | DkimIdentity }): Promise<void>;
  close(): Promise<void>;
}

function fromDomain(from: SendMailOptions['from']): string | null {
  const text = typeof from === 'string' ? from : from && !Array.isArray(from) ? (from.address ?? '') : '';
  return /@([^>\s]+)>?\s*$/.exec(text)?.[1]?.toLowerCase() ?? null;
}

/**
 * The email channel as production wires it: our SMTP server on a free 127.0.0.1 port, the real
 * agent service (offline model unless a provider is given), the in-process job queue, and
 * outbound mail through nodemailer to a capture SMTP server that the test reads.
 */
export async function startEmailHarness(input: {
  db: Db;
  provider?: ModelProvider;
  env?: Record<string, string>;
  /** A capture server shared across harnesses (left open on close). */
  capture?: CaptureSmtpServer;
  dns?: TestDns;
}): Promise<EmailHarness> {
  const dns = input.dns ?? createTestDns();
  const capture = input.capture ?? (await startCaptureSmtpServer());
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SMTP_URL: capture.url,
    SMTP_HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-email-')),
    SUPPORT_EMAIL: SUPPORT,
    STORE_NAME: 'Test Shop',
    ...input.env,
  });
  const logs: string[] = [];
  const queue = createInProcessQueue({ onFailed: (f) => logs.push(`job failed: Error: ${f.error}`) });
  const email = createEmailChannel({ db: input.db, config, queue, trackingPage: HARNESS_LINKS.trackingPage, log: (m) => logs.push(m), resolver: dns.resolver });
  const agent = createAgentService({
    db: input.db,
    config,
    notifier: email.approvalNotifier,
    ...(input.provider ? { provider: input.provider } : {}),
  });
  email.attach(agent);
  await queue.start();
  const { smtpPort } = await email.start({ smtpPort: 0 });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true });
  return {
    config,
    capture,
    queue,
    email,
    agent,
    smtpPort,
    logs,
    dns,
    async send(mail, options = {}) {
      const sign = options.sign ?? true;
      const domain = fromDomain(mail.from);
      const dkim = sign === false || !domain ? undefined : sign === true ? dns.signingDomain(domain) : sign;
      await transport.sendMail({ to: SUPPORT, ...mail, ...(dkim ? { dkim } : {}) });
    },
    async close() {
      transport.close();
      await email.stop();
      await queue.close();
      if (!input.capture) await capture.close();
    },
  };
}
