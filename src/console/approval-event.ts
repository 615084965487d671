import { z } from 'zod';
import type { ApprovalView } from '../agent/approval-view.js';

/**
 * The PostgreSQL NOTIFY channel approval events travel on between orderops processes. Payloads
 * stay small (NOTIFY refuses more than 8000 bytes): ids and the status, never the approval itself.
 */
export const APPROVAL_EVENTS_CHANNEL = 'orderops_approval_events';

const approvalEventSchema = z.object({
  type: z.enum(['approval.created', 'approval.decided', 'approval.expired']),
  approval_id: z.string().min(1),
  status: z.enum(['awaiting_confirmation', 'pending', 'executed', 'failed', 'rejected', 'expired']),
  order_id: z.string().nullable(),
});

/** One change in an approval's life, as the console's live stream sends it and NOTIFY carries it. */
export type ApprovalEvent = z.infer<typeof approvalEventSchema>;

/** The event for a change `type` that `approval` has just been through. */
export function approvalEventOf(type: ApprovalEvent['type'], approval: ApprovalView): ApprovalEvent {
  return { type, approval_id: approval.id, status: approval.status, order_id: approval.preview.orderId ?? null };
}

/** A NOTIFY payload read back as an event, or null when it is not one (sent by something else). */
export function parseApprovalEvent(payload: string): ApprovalEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = approvalEventSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
