import type { WebClient } from '@slack/web-api';
import { readDailyBriefing } from '../../agent/read-daily-briefing.js';
import { inboxReader } from '../../console/inbox-reader.js';
import type { AppContext } from '../../server/start-app.js';
import { postDailyBriefing } from './post-daily-briefing.js';

/** How often the briefing checks whether the store day's post is due; the post itself goes once a day. */
export const BRIEFING_CHECK_EVERY_MS = 60_000;

/**
 * Schedules the morning briefing in the alerts channel: one periodic task, claimed per period
 * across every process, posting once per store day from BRIEFING_HOUR. Schedules nothing
 * without SLACK_ALERTS_CHANNEL.
 */
export function scheduleDailyBriefing(
  ctx: Pick<AppContext, 'db' | 'config' | 'every'>,
  client: WebClient,
  options: { clock?: () => Date; everyMs?: number } = {},
): void {
  const channel = ctx.config.SLACK_ALERTS_CHANNEL;
  if (!channel) return;
  const inbox = inboxReader(ctx.db);
  const clock = options.clock ?? (() => new Date());
  ctx.every('slack daily briefing', options.everyMs ?? BRIEFING_CHECK_EVERY_MS, () =>
    postDailyBriefing(
      {
        db: ctx.db,
        client,
        channel,
        timeZone: ctx.config.STORE_TIMEZONE,
        hour: ctx.config.BRIEFING_HOUR,
        read: (now) => readDailyBriefing({ db: ctx.db, config: ctx.config, inbox }, now),
      },
      clock(),
    ),
  );
}
