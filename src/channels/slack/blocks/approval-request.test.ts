import { describe, expect, it } from 'vitest';
import { approvalViewFixture } from '../../../../test/support/approval-view-fixture.js';
import { ACTION_IDS } from '../action-ids.js';
import { approvalOutcomeMessage } from './approval-outcome.js';
import { approvalRequestMessage } from './approval-request.js';

const approval = approvalViewFixture;

type Block = { type: string; fields?: { text: string }[]; elements?: { action_id?: string; value?: string; style?: string }[]; text?: { text: string } };

describe('approvalRequestMessage', () => {
  it('shows what changes, for whom, how much, who asked and until when, as fields', () => {
    const m = approvalRequestMessage(approval());
    const fields = (m.blocks as Block[]).flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toEqual([
      '*What changes*\nstatus: pending → cancelled',
      '*For*\norder #W1234567, customer grace_hopper_1',
      '*Amount*\nrefund $50.00 to credit_card_1',
      '*Asked by*\n<@UDAVE0001>',
      '*Verified*\nSlack user UDAVE0001 (signed request)',
      '*Why approval*\ncancelling an order needs a staff approval',
      '*Expires*\n<!date^1767348000^{date_short_pretty} {time}|2026-01-02 10:00 UTC>',
    ]);
    expect(m.text).toBe(
      'Approval needed: Cancel order #W1234567 and refund $50.00 (order #W1234567, customer grace_hopper_1; refund $50.00 to credit_card_1; asked by UDAVE0001, Slack user UDAVE0001 (signed request); expires 2026-01-02 10:00 UTC)',
    );
  });

  it('carries Approve and Reject buttons whose value is the approval id', () => {
    const buttons = (approvalRequestMessage(approval()).blocks as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => [b.action_id, b.value, b.style])).toEqual([
      [ACTION_IDS.approve, 'apr_0123456789ab', 'primary'],
      [ACTION_IDS.reject, 'apr_0123456789ab', 'danger'],
    ]);
  });

  it('shows how an email requester was verified, and flags one confirmed only by a mailed code', () => {
    const verified = approvalRequestMessage(approval({ persona: 'customer', requester: { kind: 'person', id: 'grace@example.com' }, requesterVerification: { verified: true, summary: 'email, DMARC pass for example.com' } }));
    expect((verified.blocks as Block[]).flatMap((b) => b.fields ?? []).map((f) => f.text)).toContain('*Verified*\nemail, DMARC pass for example.com');
    const confirmed = approvalRequestMessage(
      approval({ persona: 'customer', requesterVerification: { verified: false, summary: 'email, unverified sender (DMARC fail for example.com); mailbox confirmed by code' } }),
    );
    expect((confirmed.blocks as Block[]).flatMap((b) => b.fields ?? []).map((f) => f.text)).toContain(
      '*Verified*\n:warning: email, unverified sender (DMARC fail for example.com); mailbox confirmed by code',
    );
    expect(confirmed.text).toContain('mailbox confirmed by code');
  });

  it('marks a customer request and escapes mrkdwn control characters', () => {
    const m = approvalRequestMessage(approval({ persona: 'customer', requester: { kind: 'person', id: 'grace@example.com' }, reason: 'a <customer> & refund' }));
    const fields = (m.blocks as Block[]).flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toContain('*Asked by*\ngrace@example.com (customer)');
    expect(fields).toContain('*Why approval*\na &lt;customer&gt; &amp; refund');
  });
});

describe('approvalOutcomeMessage', () => {
  it('states decision, decider, time and result, with no buttons left', () => {
    const m = approvalOutcomeMessage(
      approval({ status: 'executed', decidedBy: 'UALICE001', decidedAt: '2026-01-01T11:00:00.000Z', result: { order_id: '#W1234567', status: 'cancelled' } }),
    );
    const blocks = m.blocks as Block[];
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    const decision = blocks.map((b) => b.text?.text ?? '').find((t) => t.startsWith('Approved by'))!;
    expect(decision).toContain('<@UALICE001>');
    expect(decision).toContain('"status":"cancelled"');
    expect(m.text).toMatch(/^Approved and done: .* — executed by UALICE001 at 2026-01-01 11:00 UTC$/);
  });

  it('says a rejected or expired action did not run', () => {
    expect(approvalOutcomeMessage(approval({ status: 'rejected', decidedBy: 'UALICE001', decidedAt: '2026-01-01T11:00:00.000Z' })).text).toMatch(/^Rejected: /);
    const expired = approvalOutcomeMessage(approval({ status: 'expired' }));
    expect(JSON.stringify(expired.blocks)).toContain('the action did not run');
    expect(approvalOutcomeMessage(approval({ status: 'failed', decidedBy: 'UALICE001', error: 'order is already cancelled' })).blocks.map((b) => JSON.stringify(b)).join()).toContain(':x: order is already cancelled');
  });
});
