import type { Actor } from '../domain/actor.js';
import type { RequesterVerification } from './requester-verification.js';

/**
 * `awaiting_confirmation`: asked by a requester the channel could not verify; waits for them to
 * send back the one-time code before it becomes `pending` (staff decide only from there).
 */
export type ApprovalStatus = 'awaiting_confirmation' | 'pending' | 'executed' | 'failed' | 'rejected' | 'expired';

export interface PreviewChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PreviewMoney {
  amount: number;
  direction: 'refund' | 'charge' | 'none';
  paymentMethodId?: string;
}

/** What an approved call would change, computed by running it in a transaction that is rolled back. */
export interface ApprovalPreview {
  summary: string;
  orderId?: string;
  customerId?: string;
  changes: PreviewChange[];
  money: PreviewMoney[];
  /** Set when the dry run already failed: approving would fail the same way. */
  wouldFail?: string;
}

/** An approval as every caller (Slack, email, CLI, HTTP) sees it. */
export interface ApprovalView {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  preview: ApprovalPreview;
  reason: string;
  status: ApprovalStatus;
  requester: Actor;
  /** How the requester was verified, for the approval card. */
  requesterVerification: RequesterVerification;
  persona: 'ops' | 'customer';
  origin: { channel: string; threadKey: string };
  customerId: string | null;
  conversationId: number | null;
  expiresAt: string;
  idempotencyKey: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** What the decider wrote when deciding; null when they gave no reason. */
  decisionReason: string | null;
  result: unknown | null;
  error: string | null;
  createdAt: string;
}

export interface ApprovalRow {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  preview: ApprovalPreview;
  reason: string;
  status: ApprovalStatus;
  requester: Actor;
  requester_verification: RequesterVerification;
  persona: 'ops' | 'customer';
  customer_id: string | null;
  origin_channel: string;
  origin_thread: string;
  conversation_id: number | null;
  tool_use_id: string | null;
  idempotency_key: string;
  args_hash: string;
  expires_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_reason: string | null;
  result: unknown | null;
  error: string | null;
  resumed_at: Date | string | null;
  confirmation_code_hash: string | null;
  confirmation_reference: string | null;
  confirmation_attempts: number;
  confirmed_at: Date | string | null;
  created_at: Date | string;
}

const iso = (v: Date | string | null): string | null =>
  v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString();

export function toApprovalView(row: ApprovalRow): ApprovalView {
  return {
    id: row.id,
    tool: row.tool,
    args: row.args,
    preview: row.preview,
    reason: row.reason,
    status: row.status,
    requester: row.requester,
    requesterVerification: row.requester_verification,
    persona: row.persona,
    origin: { channel: row.origin_channel, threadKey: row.origin_thread },
    customerId: row.customer_id,
    conversationId: row.conversation_id,
    expiresAt: iso(row.expires_at)!,
    idempotencyKey: row.idempotency_key,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    decisionReason: row.decision_reason ?? null,
    result: row.result,
    error: row.error,
    createdAt: iso(row.created_at)!,
  };
}
