import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/db.js';
import type { AlertSeverity, AlertSuggestedAction, SlackAlertView } from './blocks/alert-message.js';

export interface NewSlackAlert {
  subject: string;
  severity: AlertSeverity;
  reasons: string[];
  actions: AlertSuggestedAction[];
  /** Same key twice (the same order held again by a retried job): the first alert is returned. */
  dedupeKey?: string;
}

export interface StoredSlackAlert extends SlackAlertView {
  channel: string | null;
  ts: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
}

interface AlertRow {
  id: string;
  subject: string;
  severity: AlertSeverity;
  reasons: string[];
  actions: AlertSuggestedAction[];
  channel: string | null;
  ts: string | null;
  status: 'open' | 'resolved';
  created_at: Date | string;
}

const toAlert = (r: AlertRow): StoredSlackAlert => ({
  id: r.id,
  subject: r.subject,
  severity: r.severity,
  reasons: r.reasons,
  actions: r.actions,
  channel: r.channel,
  ts: r.ts,
  status: r.status,
  createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
});

/** Stores an alert before it is posted; `created` is false when its dedupe key was seen before. */
export async function insertSlackAlert(db: Db, alert: NewSlackAlert): Promise<{ alert: StoredSlackAlert; created: boolean }> {
  const id = `alr_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const inserted = await db.query<AlertRow>(
    `INSERT INTO slack_alerts (id, subject, severity, reasons, actions, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING *`,
    [id, alert.subject, alert.severity, JSON.stringify(alert.reasons), JSON.stringify(alert.actions), alert.dedupeKey ?? null],
  );
  if (inserted.rows[0]) return { alert: toAlert(inserted.rows[0]), created: true };
  const existing = await db.query<AlertRow>('SELECT * FROM slack_alerts WHERE dedupe_key = $1', [alert.dedupeKey]);
  return { alert: toAlert(existing.rows[0]!), created: false };
}

export async function attachSlackAlertMessage(db: Db, id: string, channel: string, ts: string): Promise<void> {
  await db.query('UPDATE slack_alerts SET channel = $2, ts = $3 WHERE id = $1', [id, channel, ts]);
}

export async function getSlackAlert(db: Db, id: string): Promise<StoredSlackAlert | null> {
  const { rows } = await db.query<AlertRow>('SELECT * FROM slack_alerts WHERE id = $1', [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function listOpenSlackAlerts(db: Db, limit = 50): Promise<StoredSlackAlert[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT * FROM slack_alerts WHERE status = 'open' ORDER BY created_at DESC LIMIT ${Math.max(1, Math.min(limit, 500))}`,
  );
  return rows.map(toAlert);
}

/** Closes an alert once one of its actions was approved and ran. */
export async function resolveSlackAlert(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE slack_alerts SET status = 'resolved', resolved_at = now() WHERE id = $1 AND status = 'open'`, [id]);
}

/** Closes the alert whose thread a now-executed approval lived in, if any. */
export async function resolveSlackAlertByMessage(db: Db, channel: string, ts: string): Promise<void> {
  await db.query(`UPDATE slack_alerts SET status = 'resolved', resolved_at = now() WHERE channel = $1 AND ts = $2 AND status = 'open'`, [
    channel,
    ts,
  ]);
}
