import { beforeAll, expect, it } from 'vitest';
import { ALICE, seedAgentFixture } from '../../test/support/agent-fixture.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { loadConfig } from '../config/config.js';
import { customerToolset } from '../tools/customer-toolset.js';
import type { ApprovalNotifier } from './approval-notifier.js';
import { approvalReason } from './approval-policy.js';
import { createApprovalService, type ApprovalService } from './approval-service.js';
import type { ApprovalView } from './approval-view.js';

const config = loadConfig({ APPROVERS: 'U_APPROVER', APPROVAL_CONFIRMATION_ATTEMPTS: '3' } as NodeJS.ProcessEnv);
const approver = { kind: 'person' as const, id: 'U_APPROVER' };
const UNVERIFIED = { verified: false, summary: 'email, unverified sender (no SPF, DKIM or DMARC pass for example.com)' };

/** The `awaiting_confirmation` → `pending` step of the approval life cycle, and which hook fires when. */
describeEachDb('approval awaiting the requester\'s confirmation', (ctx) => {
  let approvals: ApprovalService;
  const heard: string[] = [];
  const notifier: ApprovalNotifier = {
    created: async (a) => void heard.push(`created ${a.id} ${a.status}`),
    decided: async (a) => void heard.push(`decided ${a.id} ${a.status}`),
    expired: async (a) => void heard.push(`expired ${a.id} ${a.status}`),
  };
  const tools = () => customerToolset(ALICE);
  const ask = async (thread: string, verification = UNVERIFIED, orderId = '#W1000001') =>
    (
      await approvals.request({
        tool: tools().get('cancel_order')!,
        args: { order_id: orderId, reason: 'ordered by mistake' },
        ctx: { db: ctx.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: 'alice.ng@example.com' }, persona: 'customer', customerId: ALICE },
        reason: 'changes asked for in a customer conversation need approval',
        requester: { kind: 'person', id: 'alice.ng@example.com' },
        verification,
        origin: { channel: 'email', threadKey: thread },
      })
    ).approval;
  const minutesLeft = (a: ApprovalView) => Math.round((new Date(a.expiresAt).getTime() - Date.now()) / 60_000);

  beforeAll(async () => {
    await seedAgentFixture(ctx.db);
    approvals = createApprovalService({ db: ctx.db, config, notifier, toolsetFor: (_p, customerId) => customerToolset(customerId!) });
  });

  it('covers every change a customer can ask for: each write tool of the customer toolset goes through the gate', async () => {
    const writes = tools().tools.filter((t) => t.tier !== 'read');
    expect(writes.map((t) => t.name).sort()).toEqual(
      ['cancel_order', 'exchange_order_items', 'modify_customer_address', 'modify_order_address', 'modify_order_items', 'modify_order_payment', 'resend_notification', 'return_order_items', 'set_notification_preferences'].sort(),
    );
    const customerCtx = { db: ctx.db, config, actor: { kind: 'agent' as const, id: 'orderops-agent' }, persona: 'customer' as const, customerId: ALICE };
    for (const tool of writes) expect(await approvalReason(tool, {}, customerCtx, async () => []), tool.name).not.toBeNull();
  });

  it('starts awaiting confirmation, tells no approver, and cannot be approved', async () => {
    heard.length = 0;
    const a = await ask('<t1@evil.example>');
    expect(a).toMatchObject({ status: 'awaiting_confirmation', requesterVerification: UNVERIFIED });
    expect(minutesLeft(a)).toBe(config.APPROVAL_CONFIRMATION_TTL_MINUTES);
    expect(heard).toEqual([]);
    expect((await ask('<t1@evil.example>')).id).toBe(a.id);
    await expect(approvals.decideApproval({ id: a.id, decision: 'approve', decider: approver })).rejects.toMatchObject({ code: 'awaiting_confirmation' });
    expect((await approvals.listApprovals({ status: 'pending' })).map((p) => p.id)).not.toContain(a.id);
  });

  it('becomes pending with the full approval time once the right code comes back, and fires created then', async () => {
    heard.length = 0;
    const a = await ask('<t2@evil.example>');
    const first = await approvals.issueConfirmation(a.id, '<c2a@shop.example>');
    const second = await approvals.issueConfirmation(a.id, '<c2b@shop.example>');
    // A new code replaces the old one, and only under its own reference.
    expect((await approvals.confirmRequester({ reference: '<c2a@shop.example>', codes: [first.code] })).outcome).toBe('unknown');
    expect((await approvals.confirmRequester({ reference: '<c2b@shop.example>', codes: [first.code] })).outcome).toBe(first.code === second.code ? 'confirmed' : 'wrong_code');
    const confirmed = await approvals.confirmRequester({ reference: '<c2b@shop.example>', codes: ['ZZZZ-ZZZZ', second.code.toLowerCase()] });
    expect(confirmed.outcome).toBe('confirmed');
    const now = (await approvals.getApproval(a.id))!;
    expect(now.status).toBe('pending');
    expect(now.requesterVerification).toEqual({ verified: false, summary: `${UNVERIFIED.summary}; mailbox confirmed by code` });
    expect(minutesLeft(now)).toBe(config.APPROVAL_TTL_MINUTES);
    expect(heard).toEqual([`created ${a.id} pending`]);
    // The code was one-time.
    expect((await approvals.confirmRequester({ reference: '<c2b@shop.example>', codes: [second.code] })).outcome).toBe('not_waiting');
    expect((await approvals.decideApproval({ id: a.id, decision: 'approve', decider: approver })).status).toBe('executed');
  });

  it('is rejected after too many wrong codes, and fires decided', async () => {
    heard.length = 0;
    const a = await ask('<t3@evil.example>', UNVERIFIED, '#W1000004');
    const { code } = await approvals.issueConfirmation(a.id, '<c3@shop.example>');
    const wrong = code === '2345-6789' ? '2345-678A' : '2345-6789';
    expect(await approvals.confirmRequester({ reference: '<c3@shop.example>', codes: [wrong] })).toMatchObject({ outcome: 'wrong_code', attemptsLeft: 2 });
    expect(await approvals.confirmRequester({ reference: '<c3@shop.example>', codes: [wrong] })).toMatchObject({ outcome: 'wrong_code', attemptsLeft: 1 });
    expect((await approvals.confirmRequester({ reference: '<c3@shop.example>', codes: [wrong] })).outcome).toBe('refused');
    expect((await approvals.confirmRequester({ reference: '<c3@shop.example>', codes: [code] })).outcome).toBe('not_waiting');
    expect((await approvals.getApproval(a.id))!).toMatchObject({ status: 'rejected', decidedBy: 'orderops' });
    expect(heard).toEqual([`decided ${a.id} rejected`]);
  });

  it('expires like any waiting approval, and an approver may reject it while it waits', async () => {
    heard.length = 0;
    const a = await ask('<t4@evil.example>', UNVERIFIED, '#W1000005');
    const expired = await approvals.expireApprovals(new Date(Date.now() + (config.APPROVAL_CONFIRMATION_TTL_MINUTES + 1) * 60_000));
    expect(expired.map((e) => e.id)).toContain(a.id);
    expect(heard).toContain(`expired ${a.id} expired`);
    await expect(approvals.issueConfirmation(a.id, '<c4@shop.example>')).rejects.toMatchObject({ code: 'not_awaiting_confirmation' });

    const b = await ask('<t5@evil.example>', UNVERIFIED, '#W1000005');
    expect((await approvals.decideApproval({ id: b.id, decision: 'reject', decider: approver })).status).toBe('rejected');
  });

  it('is pending at once, and posted, for a verified requester', async () => {
    heard.length = 0;
    const a = await ask('<t6@example.com>', { verified: true, summary: 'email, DMARC pass for example.com' }, '#W1000008');
    expect(a.status).toBe('pending');
    expect(heard).toEqual([`created ${a.id} pending`]);
    await expect(approvals.issueConfirmation(a.id, '<c6@shop.example>')).rejects.toMatchObject({ code: 'not_awaiting_confirmation' });
  });
});
