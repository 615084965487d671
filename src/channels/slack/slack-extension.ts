import { registerRoutes } from '../../server/route-plugin.js';
import type { AppExtension } from '../../server/start-app.js';
import { slackApprovalsAdapter } from './slack-approvals-adapter.js';
import { scheduleDailyBriefing } from './schedule-daily-briefing.js';
import { createSlackChannel, slackOffReason, type SlackConnectOptions } from './slack-channel.js';
import { syncSlackApprovals } from './sync-slack-approvals.js';

const SYNC_EVERY_MS = 5_000;

/**
 * Slack as a part of `npm start`: when configured, mounts /slack/* on the API server (or opens
 * Socket Mode) and registers the Slack job handler. Slack connects in the background, so the
 * API, email and jobs serve at once whether or not Slack answers; `/healthz` shows its state
 * under `slack`. Every few seconds, once connected, it posts approvals that other channels
 * opened (a customer's emailed request needs a Slack approver) and updates messages of
 * approvals decided elsewhere; each morning it posts the daily briefing to the alerts channel
 * (scheduleDailyBriefing). When not configured it does nothing; startApp has already
 * logged that Slack is off and why.
 */
export function createSlackExtension(connect: SlackConnectOptions = {}): AppExtension {
  return async (ctx) => {
    if (slackOffReason(ctx.config)) return;
    const slack = createSlackChannel({ config: ctx.config, db: ctx.db, queue: ctx.queue, log: (m) => ctx.log(m), connect });
    if (!slack) return;
    const agent = ctx.agent;
    ctx.addApprovalNotifier(slack.notifier);
    const approvals = slackApprovalsAdapter(agent.approvals, { db: ctx.db, config: ctx.config });
    slack.attach({ agent, approvals });
    registerRoutes(ctx.app, slack.routes);
    ctx.health.add('slack', () => slack.health());
    slack.start();
    scheduleDailyBriefing(ctx, slack.client);

    const report = (what: string) => (err: unknown) => ctx.log(`Slack ${what} failed: ${(err as Error).message}`);
    let syncing = false;
    const sync = setInterval(() => {
      // Until Slack answers, every post would fail; the first sync after connecting catches up.
      if (syncing || slack.health().state !== 'ready') return;
      syncing = true;
      syncSlackApprovals({ db: ctx.db, approvals, notifier: slack.notifier })
        .catch(report('approval sync'))
        .finally(() => (syncing = false));
    }, SYNC_EVERY_MS);
    sync.unref();
    return async () => {
      clearInterval(sync);
      await slack.stop();
    };
  };
}

export const slackExtension: AppExtension = createSlackExtension();
