import { notificationLinks } from '../../notifications/notification-links.js';
import { registerRoutes } from '../../server/route-plugin.js';
import type { AppExtension } from '../../server/start-app.js';
import { createEmailChannel } from './email-channel.js';

const OUTCOME_SWEEP_MS = 15_000;

/**
 * Customer email as a part of `npm start`: the SMTP door on SMTP_PORT, the IMAP poller when
 * IMAP_URL is set, POST /webhooks/email/inbound, the inbound and outbound jobs, and a sweep that
 * mails the outcome of email approvals decided by any other agent service or process (the Slack
 * buttons, the CLI), so no customer waits on an outcome that was never mailed.
 */
export const emailExtension: AppExtension = async (ctx) => {
  // publicUrl() is read per link: the server's own address is known only once it listens.
  const trackingPage = (orderId: string) => notificationLinks(ctx.publicUrl(), ctx.signingSecret).trackingPage(orderId);
  const email = createEmailChannel({ db: ctx.db, config: ctx.config, queue: ctx.queue, mailer: ctx.mailer, trackingPage, log: (m) => ctx.log(m) });
  const agent = ctx.agent;
  ctx.addApprovalNotifier(email.approvalNotifier);
  email.attach(agent);
  registerRoutes(ctx.app, email.routes);
  // The SMTP and IMAP doors take mail in: the API's side. A worker only runs the mail jobs.
  if (!ctx.servesApi) return;
  const { smtpPort } = await email.start();
  ctx.log(
    `email: SMTP in on ${ctx.config.SMTP_HOST}:${smtpPort}; IMAP ${ctx.config.IMAP_URL ? `polling ${ctx.config.IMAP_MAILBOX}` : 'off (set IMAP_URL)'}; ` +
      `webhook POST /webhooks/email/inbound ${ctx.config.EMAIL_INBOUND_SECRET ? 'on' : 'off (set EMAIL_INBOUND_SECRET)'}`,
  );
  ctx.every('email approval outcome sweep', OUTCOME_SWEEP_MS, () => email.sweepApprovalOutcomes((filter) => agent.approvals.listApprovals(filter)));
  return () => email.stop();
};
