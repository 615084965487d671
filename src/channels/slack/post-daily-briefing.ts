import type { WebClient } from '@slack/web-api';
import type { BriefingSection } from '../../agent/providers/offline-ops-replies.js';
import type { Db } from '../../db/db.js';
import { localDateParts } from '../../domain/local-date-parts.js';
import { dailyBriefingMessage } from './blocks/daily-briefing-message.js';

export interface DailyBriefingDeps {
  db: Db;
  client: WebClient;
  /** SLACK_ALERTS_CHANNEL; nothing is posted without it. */
  channel: string | undefined;
  /** STORE_TIMEZONE: the zone the store day and the hour are read in. */
  timeZone: string;
  /** BRIEFING_HOUR: the local hour from which the day's briefing is due. */
  hour: number;
  /** The briefing as the assistant gives it (readDailyBriefing). */
  read: (now: Date) => Promise<BriefingSection[]>;
}

export type DailyBriefingResult =
  | { posted: true; day: string; ts: string }
  | { posted: false; day: string | null; reason: 'no_channel' | 'before_hour' | 'already_posted' };

/**
 * Posts the store day's briefing to the alerts channel once the day reaches the briefing hour
 * (later in the day if no process ran at the hour), at most once per store day: the day's row
 * in slack_daily_briefings is taken before the post and is the key a second worker or a
 * restart finds. A post that fails gives the day back, so the next check tries again.
 */
export async function postDailyBriefing(deps: DailyBriefingDeps, now: Date): Promise<DailyBriefingResult> {
  if (!deps.channel) return { posted: false, day: null, reason: 'no_channel' };
  const local = localDateParts(now, deps.timeZone);
  const day = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  if (local.hour < deps.hour) return { posted: false, day, reason: 'before_hour' };
  const claimed = await deps.db.query(
    `INSERT INTO slack_daily_briefings (store_day, channel) VALUES ($1, $2) ON CONFLICT (store_day) DO NOTHING RETURNING store_day`,
    [day, deps.channel],
  );
  if (claimed.rows.length === 0) return { posted: false, day, reason: 'already_posted' };
  let ts: string;
  try {
    const sections = await deps.read(now);
    const res = await deps.client.chat.postMessage({ channel: deps.channel, ...dailyBriefingMessage({ day: dayLabel(now, deps.timeZone), hour: deps.hour, sections }) });
    ts = res.ts!;
  } catch (err) {
    await deps.db.query('DELETE FROM slack_daily_briefings WHERE store_day = $1 AND ts IS NULL', [day]);
    throw err;
  }
  // Should the process die between the post and this update, the day stays taken: a briefing
  // missed is better than one posted twice.
  await deps.db.query('UPDATE slack_daily_briefings SET ts = $2, posted_at = now() WHERE store_day = $1', [day, ts]);
  return { posted: true, day, ts };
}

/** "Thursday 3 December 2026", assembled from parts: ICU versions differ in the commas between them. */
function dayLabel(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}
