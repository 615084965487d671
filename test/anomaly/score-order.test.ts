import { expect, it } from 'vitest';
import { createApprovalService } from '../../src/agent/approval-service.js';
import { createLoggingAlertSink } from '../../src/anomaly/logging-alert-sink.js';
import { explainFlag } from '../../src/anomaly/flags/explain-flag.js';
import { listFlags } from '../../src/anomaly/flags/list-flags.js';
import { scoreOrder } from '../../src/anomaly/score-order.js';
import { loadConfig } from '../../src/config/config.js';
import type { Actor } from '../../src/domain/actor.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import { describeEachDb } from '../support/test-db.js';
import { insertOrder, orderStatus } from './anomaly-fixtures.js';

const job: Actor = { kind: 'job', id: 'anomaly-score' };
const config = loadConfig({ NODE_ENV: 'test' });
const thresholds = { reviewScore: config.ANOMALY_REVIEW_SCORE, holdScore: config.ANOMALY_HOLD_SCORE };

describeEachDb('scoreOrder', (ctx) => {
  it('passes an ordinary order without a flag or an alert', async () => {
    const alerts = createLoggingAlertSink(null);
    const o = await insertOrder(ctx.db, { client: { device_id: 'dev-calm', browser_ip: '10.0.0.1', account_created_at: '2024-01-01T00:00:00Z' } });
    const s = await scoreOrder(ctx.db, o.orderId, job, { ...thresholds, alerts });
    expect(s).toMatchObject({ decision: 'pass', held: false, flag: null });
    expect(alerts.raised).toHaveLength(0);
    expect(await orderStatus(ctx.db, o.orderId)).toBe('pending');
  });

  it('holds a scripted checkout, alerts with Release and Cancel & refund, and releases on approval', async () => {
    const alerts = createLoggingAlertSink(null);
    const now = new Date();
    const o = await insertOrder(ctx.db, {
      placedAt: now,
      client: { device_id: 'dev-bot', browser_ip: '10.9.9.9', account_created_at: new Date(now.getTime() - 10_000).toISOString() },
    });
    const s = await scoreOrder(ctx.db, o.orderId, job, { ...thresholds, alerts });
    expect(s.decision).toBe('hold');
    expect(s.held).toBe(true);
    expect(s.fired[0]!.code).toBe('fast_checkout');
    expect(await orderStatus(ctx.db, o.orderId)).toBe('on_hold');

    expect(alerts.raised).toHaveLength(1);
    const alert = alerts.raised[0]!;
    expect(alert.severity).toBe('critical');
    expect(alert.reasons[0]).toContain('after the account was created');
    expect(alert.suggestedActions.map((a) => a.kind)).toEqual(['release_order', 'cancel_and_refund']);

    // The Release button opens an approval; an approver approves; the order goes back to pending.
    const approvals = createApprovalService({ db: ctx.db, config, log: () => {} });
    const release = alert.suggestedActions[0]!;
    const tool = opsToolset().get(release.tool)!;
    const requester: Actor = { kind: 'person', id: 'U_OPS' };
    const { approval } = await approvals.request({
      tool,
      args: release.args,
      ctx: { db: ctx.db, config, actor: requester, persona: 'ops' },
      reason: alert.title,
      requester,
      verification: { verified: true, summary: 'Slack user U_OPS (signed request)' },
      origin: { channel: 'slack', threadKey: `C_ALERTS:${alert.flagId}` },
    });
    expect(approval.status).toBe('pending');
    expect(await orderStatus(ctx.db, o.orderId)).toBe('on_hold');
    const decided = await approvals.decideApproval({ id: approval.id, decision: 'approve', decider: { kind: 'person', id: 'U_LEAD' }, isApprover: true });
    expect(decided.status).toBe('executed');
    expect(await orderStatus(ctx.db, o.orderId)).toBe('pending');

    const explained = await explainFlag(ctx.db, alert.flagId);
    expect(explained.contributions[0]!.code).toBe('fast_checkout');
    expect(explained.subjectStatus).toBe('pending');
    expect(explained.summary).toContain(`order ${o.orderId}`);
  });

  it('scores a redelivered order once: no second count, flag or alert', async () => {
    const alerts = createLoggingAlertSink(null);
    const now = new Date();
    const o = await insertOrder(ctx.db, {
      placedAt: now,
      client: { device_id: 'dev-repeat', account_created_at: now.toISOString() },
    });
    const first = await scoreOrder(ctx.db, o.orderId, job, { ...thresholds, alerts });
    const again = await scoreOrder(ctx.db, o.orderId, job, { ...thresholds, alerts });
    expect(again.repeat).toBe(true);
    expect(again.score).toBe(first.score);
    expect(alerts.raised).toHaveLength(1);
    expect(await listFlags(ctx.db, { subjectId: o.orderId, status: 'any' })).toHaveLength(1);
    const { rows } = await ctx.db.query<{ orders: number }>(
      `SELECT orders FROM anomaly_key_accounts WHERE kind = 'device' AND key = 'dev-repeat'`,
    );
    expect(rows[0]!.orders).toBe(1);
  });

  it('flags for review when accounts share a device and card, without holding', async () => {
    const alerts = createLoggingAlertSink(null);
    const old = '2023-01-01T00:00:00Z';
    const card = { brand: 'visa', lastFour: '4242' };
    const a = await insertOrder(ctx.db, { card, client: { device_id: 'dev-shared', account_created_at: old } });
    const b = await insertOrder(ctx.db, { card, client: { device_id: 'dev-shared', account_created_at: old } });
    await scoreOrder(ctx.db, a.orderId, job, { ...thresholds, alerts });
    const s = await scoreOrder(ctx.db, b.orderId, job, { ...thresholds, alerts });
    expect(s.fired.map((f) => f.code).sort()).toEqual(['shared_device', 'shared_payment']);
    expect(s.decision).toBe('review');
    expect(s.flag?.severity).toBe('warning');
    expect(await orderStatus(ctx.db, b.orderId)).toBe('pending');
    expect(alerts.raised).toHaveLength(0);
  });

  it('flags but does not hold an order that can no longer be held', async () => {
    const alerts = createLoggingAlertSink(null);
    const now = new Date();
    const o = await insertOrder(ctx.db, { status: 'delivered', placedAt: now, client: { account_created_at: now.toISOString() } });
    const s = await scoreOrder(ctx.db, o.orderId, job, { ...thresholds, alerts });
    expect(s.decision).toBe('hold');
    expect(s.held).toBe(false);
    expect(s.holdRefused).toContain('cannot become on_hold');
    expect(alerts.raised[0]!.suggestedActions.map((a) => a.kind)).toEqual(['acknowledge_flag']);
  });
});
