import type { Db } from '../../db/db.js';

export interface SlackApprovalMessage {
  approvalId: string;
  channel: string;
  ts: string;
  threadTs: string;
  shownStatus: string;
}

/**
 * Claims the right to post an approval in Slack. True once per approval; false when another
 * path (the notifier hook, the catch-up sweep, another process) already posted or is posting it.
 */
export async function claimSlackApprovalMessage(db: Db, approvalId: string, channel: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO slack_approval_messages (approval_id, channel) VALUES ($1, $2) ON CONFLICT (approval_id) DO NOTHING`,
    [approvalId, channel],
  );
  return rowCount === 1;
}

/** Records where a claimed approval's buttons were posted. */
export async function saveSlackApprovalMessage(db: Db, m: { approvalId: string; channel: string; ts: string; threadTs: string }): Promise<void> {
  await db.query(`UPDATE slack_approval_messages SET channel = $2, ts = $3, thread_ts = $4 WHERE approval_id = $1`, [
    m.approvalId,
    m.channel,
    m.ts,
    m.threadTs,
  ]);
}

/** Gives a claim back after posting failed, so the sweep tries again. */
export async function releaseSlackApprovalClaim(db: Db, approvalId: string): Promise<void> {
  await db.query('DELETE FROM slack_approval_messages WHERE approval_id = $1 AND ts IS NULL', [approvalId]);
}

/** Notes the status the Slack message now shows, so the sweep does not update it again. */
export async function markSlackApprovalShown(db: Db, approvalId: string, status: string): Promise<void> {
  await db.query('UPDATE slack_approval_messages SET shown_status = $2 WHERE approval_id = $1', [approvalId, status]);
}

/** Where an approval's buttons were posted, or null if it never reached Slack. */
export async function findSlackApprovalMessage(db: Db, approvalId: string): Promise<SlackApprovalMessage | null> {
  const { rows } = await db.query<{ approval_id: string; channel: string; ts: string | null; thread_ts: string | null; shown_status: string }>(
    'SELECT approval_id, channel, ts, thread_ts, shown_status FROM slack_approval_messages WHERE approval_id = $1',
    [approvalId],
  );
  const r = rows[0];
  if (!r || !r.ts || !r.thread_ts) return null;
  return { approvalId: r.approval_id, channel: r.channel, ts: r.ts, threadTs: r.thread_ts, shownStatus: r.shown_status };
}

/** Approvals posted in Slack whose message still shows an older status than the approval has. */
export async function listStaleSlackApprovalMessages(db: Db, limit = 100): Promise<string[]> {
  const { rows } = await db.query<{ approval_id: string }>(
    `SELECT m.approval_id FROM slack_approval_messages m JOIN approvals a ON a.id = m.approval_id
      WHERE m.ts IS NOT NULL AND a.status <> 'pending' AND m.shown_status <> a.status
      ORDER BY m.created_at LIMIT ${Math.max(1, Math.min(limit, 500))}`,
  );
  return rows.map((r) => r.approval_id);
}
