import { describe, expect, it } from 'vitest';
import { approvalViewFixture } from '../../../test/support/approval-view-fixture.js';
import { describeApproval, parseChatAs } from './chat.js';

const approval = approvalViewFixture({
  id: 'apr_1',
  args: { order_id: '#W1' },
  preview: { summary: 'Cancel order #W1', changes: [], money: [{ amount: 12.5, direction: 'refund', paymentMethodId: 'card_1' }] },
  reason: 'cancel_order always needs approval',
  requester: { kind: 'person', id: 'jane@example.com' },
  requesterVerification: { verified: false, summary: 'email, unverified sender (DMARC fail for example.com); mailbox confirmed by code' },
  persona: 'customer',
  origin: { channel: 'email', threadKey: '<r@example.com>' },
  customerId: 'c1',
});

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
