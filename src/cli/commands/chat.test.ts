import { describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../agent/approval-view.js';
import { describeApproval, parseChatAs } from './chat.js';

const approval = {
  id: 'apr_1',
  tool: 'cancel_order',
  args: { order_id: '#W1' },
  preview: { summary: 'Cancel order #W1', changes: [], money: [{ amount: 12.5, direction: 'refund', paymentMethodId: 'card_1' }] },
  reason: 'cancel_order always needs approval',
  status: 'pending',
  requester: { kind: 'person', id: 'jane@example.com' },
  requesterVerification: { verified: false, summary: 'email, unverified sender (DMARC fail for example.com); mailbox confirmed by code' },
  persona: 'customer',
  origin: { channel: 'email', threadKey: '<r@example.com>' },
  customerId: 'c1',
  conversationId: 1,
  expiresAt: '2026-01-02T10:00:00.000Z',
  idempotencyKey: 'k',
  decidedBy: null,
  decidedAt: null,
  result: null,
  error: null,
  createdAt: '2026-01-01T10:00:00.000Z',
} satisfies ApprovalView;

describe('orderops chat', () => {
  it('shows who asked for an approval and how they were verified', () => {
    expect(describeApproval(approval)).toBe(
      'Cancel order #W1 — money: refund 12.50 (card_1) [apr_1, cancel_order always needs approval; asked by jane@example.com, email, unverified sender (DMARC fail for example.com); mailbox confirmed by code]',
    );
  });

  it('reads --as', () => {
    expect(parseChatAs('ops')).toEqual({ persona: 'ops' });
    expect(parseChatAs('customer:jane@example.com')).toEqual({ persona: 'customer', email: 'jane@example.com' });
    expect(() => parseChatAs('admin')).toThrow(/--as/);
  });
});
