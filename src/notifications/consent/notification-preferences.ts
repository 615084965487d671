import type { Db } from '../../db/db.js';
import { actorLabel, type Actor } from '../../domain/actor.js';
import { recordAudit } from '../../domain/audit/audit-log.js';
import type { MessageCategory } from '../notification-links.js';

export interface NotificationPreferences {
  customerId: string;
  /** Which channel "preferred" means for this customer. */
  channel: 'email' | 'sms' | 'both';
  emailTransactional: boolean;
  smsTransactional: boolean;
  emailMarketing: boolean;
  smsMarketing: boolean;
  /** A STOP from their phone: no SMS of any kind until they send START. */
  smsStoppedAt: Date | null;
  updatedBy: string;
}

export type PreferencesPatch = Partial<Pick<NotificationPreferences, 'channel' | 'emailTransactional' | 'smsTransactional' | 'emailMarketing' | 'smsMarketing'>>;

/** A customer with no row: order updates by email, nothing marketing. */
export const defaultPreferences = (customerId: string): NotificationPreferences => ({
  customerId,
  channel: 'email',
  emailTransactional: true,
  smsTransactional: true,
  emailMarketing: false,
  smsMarketing: false,
  smsStoppedAt: null,
  updatedBy: '',
});

interface Row {
  customer_id: string;
  channel: NotificationPreferences['channel'];
  email_transactional: boolean;
  sms_transactional: boolean;
  email_marketing: boolean;
  sms_marketing: boolean;
  sms_stopped_at: Date | string | null;
  updated_by: string;
}

const fromRow = (r: Row): NotificationPreferences => ({
  customerId: r.customer_id,
  channel: r.channel,
  emailTransactional: r.email_transactional,
  smsTransactional: r.sms_transactional,
  emailMarketing: r.email_marketing,
  smsMarketing: r.sms_marketing,
  smsStoppedAt: r.sms_stopped_at ? new Date(r.sms_stopped_at) : null,
  updatedBy: r.updated_by,
});

export async function loadPreferences(db: Db, customerId: string): Promise<NotificationPreferences> {
  const { rows } = await db.query<Row>('SELECT * FROM notification_preferences WHERE customer_id = $1', [customerId]);
  return rows[0] ? fromRow(rows[0]) : defaultPreferences(customerId);
}

/** Whether this customer lets us send a message of `category` on `channel`; the reason when not. */
export function consentRefusal(prefs: NotificationPreferences, channel: 'email' | 'sms', category: MessageCategory): string | null {
  if (channel === 'sms' && prefs.smsStoppedAt) return 'the customer replied STOP to our texts';
  const allowed = {
    email: { transactional: prefs.emailTransactional, marketing: prefs.emailMarketing },
    sms: { transactional: prefs.smsTransactional, marketing: prefs.smsMarketing },
  }[channel][category];
  return allowed ? null : `the customer has not agreed to ${category} messages by ${channel === 'sms' ? 'SMS' : 'email'}`;
}

/**
 * Changes a customer's preferences (creating their row) and records who did it. `sms` STOP and
 * START go through `stopped`; everything else through `patch`.
 */
export async function updatePreferences(
  db: Db,
  customerId: string,
  change: { patch?: PreferencesPatch; smsStopped?: boolean },
  actor: Actor,
): Promise<NotificationPreferences> {
  return db.transaction(async (tx) => {
    const before = await loadPreferences(tx, customerId);
    const next = { ...before, ...change.patch };
    const stoppedAt = change.smsStopped === undefined ? before.smsStoppedAt : change.smsStopped ? (before.smsStoppedAt ?? new Date()) : null;
    const { rows } = await tx.query<Row>(
      `INSERT INTO notification_preferences
         (customer_id, channel, email_transactional, sms_transactional, email_marketing, sms_marketing, sms_stopped_at, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (customer_id) DO UPDATE SET channel = EXCLUDED.channel, email_transactional = EXCLUDED.email_transactional,
         sms_transactional = EXCLUDED.sms_transactional, email_marketing = EXCLUDED.email_marketing,
         sms_marketing = EXCLUDED.sms_marketing, sms_stopped_at = EXCLUDED.sms_stopped_at,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING *`,
      [customerId, next.channel, next.emailTransactional, next.smsTransactional, next.emailMarketing, next.smsMarketing,
        stoppedAt?.toISOString() ?? null, actorLabel(actor)],
    );
    const after = fromRow(rows[0]!);
    await recordAudit(tx, actor, {
      action: 'notification_preferences.updated',
      entityType: 'customer',
      entityId: customerId,
      data: { before: { ...before, smsStoppedAt: before.smsStoppedAt?.toISOString() ?? null }, after: { ...after, smsStoppedAt: after.smsStoppedAt?.toISOString() ?? null } },
    });
    return after;
  });
}
