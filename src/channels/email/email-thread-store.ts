import type { Db } from '../../db/db.js';
import type { InboundEmail } from './inbound-email.js';
import type { UnparseableEmail } from './unparseable-email.js';

export interface EmailThread {
  id: number;
  rootMessageId: string;
  counterpart: string;
  subject: string;
  customerId: string | null;
}

export type InboundOutcome =
  | 'received'
  | 'answered'
  | 'asked_to_verify'
  | 'approval_requested'
  | 'confirmed'
  | 'confirmation_refused'
  | 'handed_off'
  | 'ignored'
  | 'rate_limited'
  | 'failed'
  | 'unparseable'
  | 'too_large';

/** Outcomes of inbound mail that got no automatic answer and waits for a person to look. */
export const KEPT_FOR_A_PERSON: InboundOutcome[] = ['rate_limited', 'unparseable', 'too_large', 'failed'];

/** Mails let through the rate limits within the windows that count. */
export interface AdmissionCounts {
  /** From this sender in the last hour. */
  sender: number;
  /** From everyone in the last minute. */
  globalMinute: number;
  /** From everyone in the last hour. */
  globalHour: number;
}

export interface AdmissionLimits {
  senderPerHour: number;
  globalPerMinute: number;
  globalPerHour: number;
}

export interface StoredEmailMessage {
  messageId: string;
  threadId: number | null;
  direction: 'inbound' | 'outbound';
  source: string;
  counterpart: string;
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  inReplyTo: string | null;
  referenceIds: string[];
  bodyText: string;
  outcome: string;
  outcomeDetail: string;
  senderVerified: boolean | null;
  customerId: string | null;
  createdAt: Date;
}

interface ThreadRow {
  id: number;
  root_message_id: string;
  counterpart: string;
  subject: string;
  customer_id: string | null;
}

interface MessageRow {
  message_id: string;
  thread_id: number | null;
  direction: 'inbound' | 'outbound';
  source: string;
  counterpart: string;
  from_address: string;
  to_addresses: string[];
  subject: string;
  in_reply_to: string | null;
  reference_ids: string[];
  body_text: string;
  outcome: string;
  outcome_detail: string;
  sender_verified: boolean | null;
  customer_id: string | null;
  created_at: Date | string;
}

const toThread = (r: ThreadRow): EmailThread => ({
  id: Number(r.id),
  rootMessageId: r.root_message_id,
  counterpart: r.counterpart,
  subject: r.subject,
  customerId: r.customer_id,
});

const toMessage = (r: MessageRow): StoredEmailMessage => ({
  messageId: r.message_id,
  threadId: r.thread_id === null ? null : Number(r.thread_id),
  direction: r.direction,
  source: r.source,
  counterpart: r.counterpart,
  fromAddress: r.from_address,
  toAddresses: r.to_addresses,
  subject: r.subject,
  inReplyTo: r.in_reply_to,
  referenceIds: r.reference_ids,
  bodyText: r.body_text,
  outcome: r.outcome,
  outcomeDetail: r.outcome_detail,
  senderVerified: r.sender_verified,
  customerId: r.customer_id,
  createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
});

export interface EmailHandoff {
  id: number;
  threadId: number;
  messageId: string;
  draftReply: string;
  reason: string;
  createdAt: Date;
}

interface HandoffRow {
  id: number;
  thread_id: number;
  message_id: string;
  draft_reply: string;
  reason: string;
  status: 'open' | 'sent' | 'closed';
  created_at: Date | string;
}

const toHandoff = (r: HandoffRow) => ({
  id: Number(r.id),
  threadId: Number(r.thread_id),
  messageId: r.message_id,
  draftReply: r.draft_reply,
  reason: r.reason,
  status: r.status,
  createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
});

export interface OutboundRecord {
  messageId: string;
  threadId: number;
  source: 'reply' | 'approval-outcome' | 'handoff' | 'confirmation';
  counterpart: string;
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  inReplyTo: string | null;
  referenceIds: string[];
  bodyText: string;
}

/**
 * Email threads and messages in the database. Every message, in or out, is keyed by its
 * Message-ID, so a redelivered mail is recognised and a reply finds its thread through
 * In-Reply-To / References.
 */
export interface EmailThreadStore {
  /**
   * Records an inbound mail before anything else happens to it. False when its Message-ID is
   * already known (a redelivery, or one of our own messages coming back), unless its earlier
   * handling failed: then the retry may take it again.
   */
  claimInbound(mail: InboundEmail, cleanText: string): Promise<boolean>;
  /**
   * The thread of a mail we sent whose Message-ID is among `ids`, provided the thread's customer
   * side is `counterpart`. Only our own Message-IDs count: they are random and reach only the
   * counterpart, whereas an inbound id (the thread's root included) is known to whoever wrote
   * it, so naming one proves nothing. A reply from another address starts a thread of its own.
   */
  findThread(counterpart: string, ids: string[]): Promise<EmailThread | null>;
  createThread(input: { rootMessageId: string; counterpart: string; subject: string; customerId: string | null }): Promise<EmailThread>;
  setCustomer(threadId: number, customerId: string): Promise<void>;
  getThreadByRoot(rootMessageId: string): Promise<EmailThread | null>;
  /** Sets what became of an inbound mail (and which thread it joined). */
  settleInbound(
    messageId: string,
    outcome: { threadId?: number | null; outcome: InboundOutcome; detail?: string; senderVerified?: boolean | null; customerId?: string | null },
  ): Promise<void>;
  /** Records a mail we are about to send (outcome `queued`); it counts for the rate limit from now on. */
  recordOutbound(record: OutboundRecord): Promise<void>;
  /** Marks an outbound mail `sent` or `failed`. */
  settleOutbound(messageId: string, outcome: 'sent' | 'failed', detail?: string): Promise<void>;
  /** Replaces the kept text of a sent mail (a one-time code must not outlive its delivery in plain text). */
  replaceOutboundText(messageId: string, bodyText: string): Promise<void>;
  /** The thread's messages, oldest first. */
  threadMessages(threadId: number): Promise<StoredEmailMessage[]>;
  getMessage(messageId: string): Promise<StoredEmailMessage | null>;
  /**
   * Lets one claimed inbound mail through the rate limits, or not: counts the mails let through
   * before (see AdmissionCounts) and, when every count is under its limit, marks this one let
   * through at `now`. Atomic across processes (an advisory lock on PostgreSQL), so concurrent
   * workers cannot all slip under a limit together. A mail let through before (a retry after a
   * failure) passes again without counting twice.
   */
  admitInbound(input: { messageId: string; counterpart: string; now: Date; limits: AdmissionLimits }): Promise<{ admitted: boolean; counts: AdmissionCounts }>;
  /** Records a mail that can never be read, with its raw bytes; false when the same one was recorded before. */
  keepUnparseable(mail: UnparseableEmail): Promise<boolean>;
  /** Inbound mail kept without an automatic answer (KEPT_FOR_A_PERSON), newest first. */
  listKeptInbound(limit: number): Promise<StoredEmailMessage[]>;
  /** The raw bytes kept of an unparseable mail; null for any other. */
  rawSource(messageId: string): Promise<Buffer | null>;
  /** Files a mail for a person to answer, with the reply the agent drafted. */
  openHandoff(input: { threadId: number; messageId: string; draftReply: string; reason: string }): Promise<number>;
  listOpenHandoffs(): Promise<EmailHandoff[]>;
  getHandoff(id: number): Promise<(EmailHandoff & { status: 'open' | 'sent' | 'closed' }) | null>;
  /** Marks an open hand-off answered (`sent`) or dropped (`closed`); false when it was not open. */
  closeHandoff(id: number, status: 'sent' | 'closed'): Promise<boolean>;
  getThread(id: number): Promise<EmailThread | null>;
  /**
   * Claims the right to send the outcome mail of one approval; false when it was claimed before,
   * so an outcome is mailed once even when the notifier fires twice.
   */
  claimApprovalNotice(input: { approvalId: string; threadId: number; status: string }): Promise<boolean>;
  hasApprovalNotice(approvalId: string): Promise<boolean>;
  /** Notes which mail carried the outcome. */
  settleApprovalNotice(approvalId: string, messageId: string): Promise<void>;
  /** Gives the claim back after a failed send, so a later notification can try again. */
  releaseApprovalNotice(approvalId: string): Promise<void>;
}

// Every column but raw_source, which only the raw-source lookup reads.
const MESSAGE_COLUMNS = `message_id, thread_id, direction, source, counterpart, from_address, to_addresses, subject, in_reply_to,
  reference_ids, body_text, outcome, outcome_detail, sender_verified, customer_id, created_at`;
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
// Any constant works; every orderops process on one database must use the same one.
const ADMISSION_LOCK = 727_041;

export function createEmailThreadStore(db: Db): EmailThreadStore {
  return {
    async claimInbound(mail, cleanText) {
      const { rows } = await db.query(
        `INSERT INTO email_messages (message_id, direction, source, counterpart, from_address, to_addresses, subject,
                                     in_reply_to, reference_ids, body_text, size_bytes, created_at)
         VALUES ($1, 'inbound', $2, $3, $3, $4, $5, $6, $7, $8, $9, now())
         ON CONFLICT (message_id) DO UPDATE SET outcome = 'received', outcome_detail = 'retry'
           WHERE email_messages.direction = 'inbound' AND email_messages.outcome = 'failed'
             AND email_messages.from_address = EXCLUDED.from_address
         RETURNING message_id`,
        [mail.messageId, mail.source, mail.from.address, mail.to, mail.subject, mail.inReplyTo, mail.references, cleanText, mail.sizeBytes],
      );
      return rows.length === 1;
    },

    async findThread(counterpart, ids) {
      if (ids.length === 0) return null;
      const { rows } = await db.query<ThreadRow>(
        `SELECT t.* FROM email_threads t
          WHERE t.counterpart = $2
            AND t.id IN (SELECT m.thread_id FROM email_messages m
                          WHERE m.message_id = ANY($1::text[]) AND m.direction = 'outbound')
          ORDER BY t.id LIMIT 1`,
        [ids, counterpart],
      );
      return rows[0] ? toThread(rows[0]) : null;
    },

    async createThread(input) {
      const { rows } = await db.query<ThreadRow>(
        `INSERT INTO email_threads (root_message_id, counterpart, subject, customer_id)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (root_message_id) DO UPDATE SET updated_at = now()
         RETURNING *`,
        [input.rootMessageId, input.counterpart, input.subject, input.customerId],
      );
      return toThread(rows[0]!);
    },

    async setCustomer(threadId, customerId) {
      await db.query('UPDATE email_threads SET customer_id = $2, updated_at = now() WHERE id = $1', [threadId, customerId]);
    },

    async getThreadByRoot(rootMessageId) {
      const { rows } = await db.query<ThreadRow>('SELECT * FROM email_threads WHERE root_message_id = $1', [rootMessageId]);
      return rows[0] ? toThread(rows[0]) : null;
    },

    async settleInbound(messageId, o) {
      await db.query(
        `UPDATE email_messages SET outcome = $2, outcome_detail = $3,
                thread_id = COALESCE($4, thread_id), sender_verified = COALESCE($5, sender_verified),
                customer_id = COALESCE($6, customer_id)
          WHERE message_id = $1 AND direction = 'inbound'`,
        [messageId, o.outcome, o.detail ?? '', o.threadId ?? null, o.senderVerified ?? null, o.customerId ?? null],
      );
      if (o.threadId) await db.query('UPDATE email_threads SET updated_at = now() WHERE id = $1', [o.threadId]);
    },

    async recordOutbound(r) {
      await db.query(
        `INSERT INTO email_messages (message_id, thread_id, direction, source, counterpart, from_address, to_addresses,
                                     subject, in_reply_to, reference_ids, body_text, outcome)
         VALUES ($1, $2, 'outbound', $3, $4, $5, $6, $7, $8, $9, $10, 'queued')`,
        [r.messageId, r.threadId, r.source, r.counterpart.toLowerCase(), r.fromAddress, r.toAddresses, r.subject, r.inReplyTo, r.referenceIds, r.bodyText],
      );
    },

    async settleOutbound(messageId, outcome, detail = '') {
      await db.query(
        `UPDATE email_messages SET outcome = $2, outcome_detail = $3 WHERE message_id = $1 AND direction = 'outbound'`,
        [messageId, outcome, detail],
      );
    },

    async replaceOutboundText(messageId, bodyText) {
      await db.query(`UPDATE email_messages SET body_text = $2 WHERE message_id = $1 AND direction = 'outbound'`, [messageId, bodyText]);
    },

    async threadMessages(threadId) {
      const { rows } = await db.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM email_messages WHERE thread_id = $1 ORDER BY created_at, direction`,
        [threadId],
      );
      return rows.map(toMessage);
    },

    async getMessage(messageId) {
      const { rows } = await db.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM email_messages WHERE message_id = $1`, [messageId]);
      return rows[0] ? toMessage(rows[0]) : null;
    },

    async rawSource(messageId) {
      const { rows } = await db.query<{ raw_source: Uint8Array | null }>(
        `SELECT raw_source FROM email_messages WHERE message_id = $1 AND direction = 'inbound'`,
        [messageId],
      );
      const raw = rows[0]?.raw_source;
      return raw ? Buffer.from(raw) : null;
    },

    async admitInbound({ messageId, counterpart, now, limits }) {
      return db.transaction(async (tx) => {
        if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [ADMISSION_LOCK]);
        const { rows: own } = await tx.query<{ admitted_at: Date | null }>(
          `SELECT admitted_at FROM email_messages WHERE message_id = $1 AND direction = 'inbound'`,
          [messageId],
        );
        const { rows } = await tx.query<{ sender: number; minute: number; hour: number }>(
          `SELECT count(*) FILTER (WHERE counterpart = $2)::int AS sender,
                  count(*) FILTER (WHERE admitted_at > $4)::int AS minute,
                  count(*)::int AS hour
             FROM email_messages
            WHERE direction = 'inbound' AND admitted_at > $3 AND message_id <> $1`,
          [messageId, counterpart.toLowerCase(), new Date(now.getTime() - HOUR_MS), new Date(now.getTime() - MINUTE_MS)],
        );
        const counts = { sender: Number(rows[0]?.sender ?? 0), globalMinute: Number(rows[0]?.minute ?? 0), globalHour: Number(rows[0]?.hour ?? 0) };
        if (own[0]?.admitted_at) return { admitted: true, counts };
        const admitted =
          counts.sender < limits.senderPerHour && counts.globalMinute < limits.globalPerMinute && counts.globalHour < limits.globalPerHour;
        if (admitted) {
          await tx.query(`UPDATE email_messages SET admitted_at = $2 WHERE message_id = $1 AND direction = 'inbound'`, [messageId, now]);
        }
        return { admitted, counts };
      });
    },

    async keepUnparseable(mail) {
      const { rows } = await db.query(
        `INSERT INTO email_messages (message_id, direction, source, counterpart, from_address, to_addresses, subject,
                                     body_text, outcome, outcome_detail, size_bytes, raw_source)
         VALUES ($1, 'inbound', $2, $3, $3, $4, $5, '', $6, $7, $8, $9)
         ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
        [mail.messageId, mail.source, mail.from, mail.to, mail.subject, mail.outcome, mail.reason, mail.sizeBytes, mail.raw],
      );
      return rows.length === 1;
    },

    async listKeptInbound(limit) {
      const { rows } = await db.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM email_messages WHERE direction = 'inbound' AND outcome = ANY($1::text[])
          ORDER BY created_at DESC, message_id LIMIT $2`,
        [KEPT_FOR_A_PERSON, limit],
      );
      return rows.map(toMessage);
    },

    async openHandoff(input) {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO email_handoffs (thread_id, message_id, draft_reply, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.threadId, input.messageId, input.draftReply, input.reason],
      );
      return Number(rows[0]!.id);
    },

    async listOpenHandoffs() {
      const { rows } = await db.query<HandoffRow>(`SELECT * FROM email_handoffs WHERE status = 'open' ORDER BY created_at, id`);
      return rows.map(toHandoff);
    },

    async getHandoff(id) {
      const { rows } = await db.query<HandoffRow>('SELECT * FROM email_handoffs WHERE id = $1', [id]);
      return rows[0] ? toHandoff(rows[0]) : null;
    },

    async closeHandoff(id, status) {
      const { rows } = await db.query(
        `UPDATE email_handoffs SET status = $2, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
        [id, status],
      );
      return rows.length === 1;
    },

    async getThread(id) {
      const { rows } = await db.query<ThreadRow>('SELECT * FROM email_threads WHERE id = $1', [id]);
      return rows[0] ? toThread(rows[0]) : null;
    },

    async claimApprovalNotice(input) {
      const { rows } = await db.query(
        `INSERT INTO email_approval_notices (approval_id, thread_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (approval_id) DO NOTHING RETURNING approval_id`,
        [input.approvalId, input.threadId, input.status],
      );
      return rows.length === 1;
    },

    async hasApprovalNotice(approvalId) {
      const { rows } = await db.query('SELECT 1 FROM email_approval_notices WHERE approval_id = $1', [approvalId]);
      return rows.length > 0;
    },

    async settleApprovalNotice(approvalId, messageId) {
      await db.query('UPDATE email_approval_notices SET message_id = $2 WHERE approval_id = $1', [approvalId, messageId]);
    },

    async releaseApprovalNotice(approvalId) {
      await db.query('DELETE FROM email_approval_notices WHERE approval_id = $1', [approvalId]);
    },
  };
}
