import { z } from 'zod';
import type { ApprovalView } from '../agent/approval-view.js';

export const approvalJsonSchema = z.object({
  id: z.string(),
  tool: z.string(),
  status: z.enum(['awaiting_confirmation', 'pending', 'executed', 'failed', 'rejected', 'expired']),
  summary: z.string().describe('What approving would change, in one line.'),
  order_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  reason: z.string().describe('Why the action waits for a person.'),
  requested_by: z.object({ kind: z.string(), id: z.string() }),
  requester_verification: z.string(),
  origin: z.object({ channel: z.string(), thread: z.string() }),
  args: z.record(z.string(), z.unknown()),
  preview: z.object({ summary: z.string(), changes: z.array(z.unknown()), money: z.array(z.unknown()) }).loose(),
  created_at: z.string(),
  expires_at: z.string(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  decision_reason: z.string().nullable(),
  result: z.unknown(),
  error: z.string().nullable(),
});

/** An approval as the REST API and the CLI's --json show it (snake_case, like the rest of the wire). */
export function approvalJson(a: ApprovalView): z.infer<typeof approvalJsonSchema> {
  return {
    id: a.id,
    tool: a.tool,
    status: a.status,
    summary: a.preview.summary,
    order_id: a.preview.orderId ?? null,
    customer_id: a.preview.customerId ?? a.customerId,
    reason: a.reason,
    requested_by: { kind: a.requester.kind, id: a.requester.id },
    requester_verification: a.requesterVerification.summary,
    origin: { channel: a.origin.channel, thread: a.origin.threadKey },
    args: a.args,
    preview: { ...a.preview },
    created_at: a.createdAt,
    expires_at: a.expiresAt,
    decided_by: a.decidedBy,
    decided_at: a.decidedAt,
    decision_reason: a.decisionReason,
    result: a.result,
    error: a.error,
  };
}
