import type { Db } from '../../db/db.js';
import type { SlackThread } from './slack-thread-key.js';

/** Records that the bot takes part in a thread, so later plain replies there reach it. */
export async function followSlackThread(db: Db, thread: SlackThread, startedBy?: string): Promise<void> {
  await db.query(
    `INSERT INTO slack_threads (channel, thread_ts, started_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [thread.channel, thread.threadTs, startedBy ?? null],
  );
}

/** True when the bot was mentioned in, or posted into, this thread before. */
export async function isFollowedSlackThread(db: Db, thread: SlackThread): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM slack_threads WHERE channel = $1 AND thread_ts = $2', [
    thread.channel,
    thread.threadTs,
  ]);
  return rows.length > 0;
}
