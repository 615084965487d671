import type { Db } from '../db/db.js';
import { writeOutbox } from '../domain/events/write-outbox.js';
import { MESSAGE_QUEUED_TOPIC } from './queue-notification-message.js';

/**
 * Hands a resumed workflow's held messages (left queued while it was paused) back to delivery,
 * one outbox event each; returns how many. Call it after the workflow is resumed.
 */
export async function releaseHeldMessages(db: Db, workflowId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string | number }>(
      `SELECT id FROM notification_messages WHERE workflow_id = $1 AND status = 'queued' AND error LIKE 'held:%' ORDER BY id`,
      [workflowId],
    );
    for (const r of rows) await writeOutbox(tx, MESSAGE_QUEUED_TOPIC, { messageId: Number(r.id) });
    return rows.length;
  });
}
