import type { Db } from '../../db/db.js';

export interface InboundMessage {
  channel: string;
  ts: string;
  eventId?: string;
  userId?: string;
}

/**
 * Claims a Slack message for processing. True the first time a (channel, ts) is seen; false for
 * Slack's retries of the same event and for the second of the app_mention / message pair that
 * one message in a followed thread produces, so each message starts at most one turn.
 */
export async function claimInboundMessage(db: Db, message: InboundMessage): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO slack_inbound_messages (channel, ts, event_id, user_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, ts) DO NOTHING`,
    [message.channel, message.ts, message.eventId ?? null, message.userId ?? null],
  );
  return rowCount === 1;
}
