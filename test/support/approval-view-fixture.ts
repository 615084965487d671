import type { ApprovalView } from '../../src/agent/approval-view.js';

/** A pending approval as the approval service would show it, with `over` applied; for view and card tests. */
export const approvalViewFixture = (over: Partial<ApprovalView> = {}): ApprovalView => ({
  id: 'apr_0123456789ab',
  tool: 'cancel_order',
  args: { order_id: '#W1234567', reason: 'ordered by mistake' },
  preview: {
    summary: 'Cancel order #W1234567 and refund $50.00',
    orderId: '#W1234567',
    customerId: 'grace_hopper_1',
    changes: [{ field: 'status', before: 'pending', after: 'cancelled' }],
    money: [{ amount: 50, direction: 'refund', paymentMethodId: 'credit_card_1' }],
  },
  reason: 'cancelling an order needs a staff approval',
  status: 'pending',
  requester: { kind: 'person', id: 'UDAVE0001' },
  requesterVerification: { verified: true, summary: 'Slack user UDAVE0001 (signed request)' },
  persona: 'ops',
  origin: { channel: 'slack', threadKey: 'COPS00001:1700000000.000100' },
  customerId: 'grace_hopper_1',
  conversationId: 1,
  expiresAt: '2026-01-02T10:00:00.000Z',
  idempotencyKey: 'k',
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
  result: null,
  error: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  ...over,
});
