import { expect, it } from 'vitest';
import { createLoggingAlertSink } from '../../src/anomaly/logging-alert-sink.js';
import { listFlags } from '../../src/anomaly/flags/list-flags.js';
import { scanSla } from '../../src/anomaly/sla-monitor.js';
import { parseSlaPolicy } from '../../src/anomaly/sla-policy.js';
import type { Actor } from '../../src/domain/actor.js';
import { describeEachDb } from '../support/test-db.js';
import { insertOrder } from './anomaly-fixtures.js';

const actor: Actor = { kind: 'job', id: 'sla-monitor' };
const HOUR = 3_600_000;
const policy = parseSlaPolicy('pending=24,processed=48,shopify:processed=12');

describeEachDb('SLA monitor', (ctx) => {
  it('flags an order past the SLA of its status and channel, once, and clears it when it moves on', async () => {
    const now = new Date();
    const alerts = createLoggingAlertSink(null);
    const late = await insertOrder(ctx.db, { channel: 'shopify', status: 'processed' });
    const onTime = await insertOrder(ctx.db, { channel: 'woo', status: 'processed' });
    const fresh = await insertOrder(ctx.db, { channel: 'shopify', status: 'pending' });
    await ctx.db.query(`UPDATE orders SET status_changed_at = $2 WHERE id = ANY($1::text[])`, [
      [late.orderId, onTime.orderId],
      new Date(now.getTime() - 20 * HOUR).toISOString(),
    ]);
    await scanSla(ctx.db, { policy, actor, alerts, now });
    await scanSla(ctx.db, { policy, actor, alerts, now });
    const flags = await listFlags(ctx.db, { category: 'operations' });
    expect(flags.filter((f) => f.rule === 'order_sla').map((f) => f.subjectId)).toEqual([late.orderId]);
    expect(flags.find((f) => f.subjectId === late.orderId)!.reasons[0]).toContain('shopify SLA for processed is 12 h');
    expect(flags.some((f) => f.subjectId === fresh.orderId)).toBe(false);
    expect(alerts.raised.filter((a) => a.subject === `order ${late.orderId}`)).toHaveLength(1);

    await ctx.db.query(`UPDATE orders SET status = 'shipped', status_changed_at = now() WHERE id = $1`, [late.orderId]);
    const after = await scanSla(ctx.db, { policy, actor, now });
    expect(after.cleared).toHaveLength(1);
    expect(await listFlags(ctx.db, { subjectId: late.orderId })).toEqual([]);
  });

  it('flags a carrier exception and a shipment past its promised date, not one on time', async () => {
    const now = new Date();
    const o = await insertOrder(ctx.db, { status: 'shipped' });
    const insert = (position: number, status: string, promisedAt: Date | null) =>
      ctx.db.query<{ id: number }>(
        `INSERT INTO shipments (order_id, position, carrier, tracking_ids, status, promised_at) VALUES ($1, $2, 'ups', ARRAY['1Z${position}'], $3, $4) RETURNING id`,
        [o.orderId, position, status, promisedAt?.toISOString() ?? null],
      );
    const exception = (await insert(1, 'exception', null)).rows[0]!.id;
    const overdue = (await insert(2, 'in_transit', new Date(now.getTime() - 30 * HOUR))).rows[0]!.id;
    const onTime = (await insert(3, 'in_transit', new Date(now.getTime() + 30 * HOUR))).rows[0]!.id;
    await scanSla(ctx.db, { policy, actor, now });
    const flags = await listFlags(ctx.db, { subjectType: 'fulfilment' });
    const by = (id: number) => flags.filter((f) => f.subjectId === String(id)).map((f) => f.rule);
    expect(by(exception)).toEqual(['carrier_exception']);
    expect(by(overdue)).toEqual(['past_promised_date']);
    expect(by(onTime)).toEqual([]);
  });

  it('flags a label the carrier never scanned, and leaves voided labels and scanned parcels alone', async () => {
    const now = new Date();
    const o = await insertOrder(ctx.db, { status: 'processed' });
    const insert = (position: number, status: string, boughtHoursAgo: number, promisedAt: Date | null = null) =>
      ctx.db.query<{ id: number }>(
        `INSERT INTO shipments (order_id, position, carrier, tracking_ids, tracking_number, status, label_purchased_at, promised_at)
         VALUES ($1, $2, 'sandbox', ARRAY['SB${position}'], 'SB${position}', $3, $4, $5) RETURNING id`,
        [o.orderId, position, status, new Date(now.getTime() - boughtHoursAgo * HOUR).toISOString(), promisedAt?.toISOString() ?? null],
      );
    const stale = (await insert(1, 'pre_transit', 30)).rows[0]!.id;
    const recent = (await insert(2, 'pre_transit', 2)).rows[0]!.id;
    const voided = (await insert(3, 'voided', 30, new Date(now.getTime() - 10 * HOUR))).rows[0]!.id;
    const scanned = (await insert(4, 'in_transit', 30)).rows[0]!.id;
    await scanSla(ctx.db, { policy, actor, now, labelScanHours: 24 });
    const flags = await listFlags(ctx.db, { subjectType: 'fulfilment' });
    const by = (id: number) => flags.filter((f) => f.subjectId === String(id)).map((f) => f.rule);
    expect(by(stale)).toEqual(['label_not_scanned']);
    expect(by(recent)).toEqual([]);
    expect(by(voided)).toEqual([]);
    expect(by(scanned)).toEqual([]);
    await ctx.db.query(`UPDATE shipments SET status = 'in_transit' WHERE id = $1`, [stale]);
    await scanSla(ctx.db, { policy, actor, now, labelScanHours: 24 });
    expect(await listFlags(ctx.db, { subjectType: 'fulfilment', subjectId: String(stale) })).toEqual([]);
  });

  it('rejects a malformed SLA setting naming the bad pair', () => {
    expect(() => parseSlaPolicy('pending=24,processed')).toThrow(/"processed"/);
    expect(parseSlaPolicy('pending=24').byStatus).toEqual({ pending: 24 });
  });
});
