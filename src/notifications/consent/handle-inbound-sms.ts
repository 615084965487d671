import type { Db } from '../../db/db.js';
import type { Actor } from '../../domain/actor.js';
import { updatePreferences } from './notification-preferences.js';
import { phoneMatchKey } from './phone-digits.js';
import { parseSmsKeyword, type SmsKeyword } from './sms-keyword.js';

/** A text message a customer sent to our number (Twilio's inbound webhook). */
export interface InboundSms {
  /** The provider's id for it (Twilio's MessageSid): a message is handled once per id. */
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

export interface InboundSmsOutcome {
  /** What the message asked: STOP, START, HELP, or `none` (a person reads it). */
  action: SmsKeyword | 'none';
  /** The customers whose phone it came from (a number may be shared by several). */
  customerIds: string[];
  /** True when this message id had been handled before: nothing changed this time. */
  duplicate: boolean;
}

/**
 * Stores an inbound text once per message id and acts on it: STOP (and the other opt-out words)
 * stops every SMS to each customer with that phone, START lets them resume; HELP and any other
 * text change nothing. The store and the consent change are one transaction, so a retried
 * delivery after a crash does the whole thing or finds it done.
 */
export async function handleInboundSms(db: Db, sms: InboundSms, actor: Actor): Promise<InboundSmsOutcome> {
  const keyword = parseSmsKeyword(sms.body);
  return db.transaction(async (tx) => {
    const customerIds = await findCustomersByPhone(tx, sms.from);
    const action = keyword ?? 'none';
    const stored = await tx.query(
      `INSERT INTO sms_inbound (message_sid, from_number, to_number, body, customer_id, action)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_sid) DO NOTHING`,
      // One column holds one customer: the first by id; the audit rows name every one changed.
      [sms.messageSid, sms.from, sms.to, sms.body, customerIds[0] ?? null, action],
    );
    if (stored.rowCount === 0) {
      const { rows } = await tx.query<{ action: string; customer_id: string | null }>(
        'SELECT action, customer_id FROM sms_inbound WHERE message_sid = $1',
        [sms.messageSid],
      );
      const first = rows[0];
      return { action: (first?.action ?? 'none') as InboundSmsOutcome['action'], customerIds, duplicate: true };
    }
    if (action === 'stop' || action === 'start') {
      const by: Actor = { ...actor, onBehalfOf: `sms from ${sms.from}` };
      for (const id of customerIds) await updatePreferences(tx, id, { smsStopped: action === 'stop' }, by);
    }
    return { action, customerIds, duplicate: false };
  });
}

/** The ids of customers whose phone is `phone` however either was written (see phoneMatchKey), by id. */
export async function findCustomersByPhone(db: Db, phone: string): Promise<string[]> {
  const key = phoneMatchKey(phone);
  if (!key) return [];
  // The last ten digits narrow the search in SQL; the exact comparison is phoneMatchKey's.
  const { rows } = await db.query<{ id: string; phone: string }>(
    `SELECT id, phone FROM customers
      WHERE phone IS NOT NULL AND right(regexp_replace(phone, '[^0-9]', '', 'g'), 10) = $1
      ORDER BY id`,
    [key.slice(-10)],
  );
  return rows.filter((r) => phoneMatchKey(r.phone) === key).map((r) => r.id);
}
