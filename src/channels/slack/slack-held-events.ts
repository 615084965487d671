import type { Db } from '../../db/db.js';

/**
 * Slack Events API deliveries kept while the app cannot process them yet (the Web API is not
 * reachable, so neither who sent them nor where to reply can be checked). Slack's own retries
 * stop after a few minutes; these rows last until orderops is connected.
 */
export interface SlackEventHold {
  /** Keeps one signed event body; a second delivery of the same event_id is ignored. */
  keep(eventId: string, body: Record<string, unknown>): Promise<void>;
  /**
   * Hands every kept event to `process`, oldest first, and deletes each after it was processed.
   * A body whose processing throws is reported and deleted too: replaying it would fail again.
   */
  replay(process: (body: Record<string, unknown>) => Promise<void>, onError: (eventId: string, err: unknown) => void): Promise<number>;
}

const BATCH = 50;

export function createSlackEventHold(db: Db): SlackEventHold {
  return {
    async keep(eventId, body) {
      await db.query(`INSERT INTO slack_held_events (event_id, body) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING`, [eventId, JSON.stringify(body)]);
    },
    async replay(process, onError) {
      let replayed = 0;
      for (;;) {
        const { rows } = await db.query<{ event_id: string; body: Record<string, unknown> }>(
          `SELECT event_id, body FROM slack_held_events ORDER BY received_at, event_id LIMIT ${BATCH}`,
        );
        if (rows.length === 0) return replayed;
        for (const row of rows) {
          try {
            await process(row.body);
          } catch (err) {
            onError(row.event_id, err);
          }
          await db.query('DELETE FROM slack_held_events WHERE event_id = $1', [row.event_id]);
          replayed += 1;
        }
      }
    },
  };
}
