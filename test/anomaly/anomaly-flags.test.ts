import { expect, it } from 'vitest';
import { acknowledgeFlag } from '../../src/anomaly/flags/acknowledge-flag.js';
import { listFlags } from '../../src/anomaly/flags/list-flags.js';
import { raiseFlag, type FlagInput } from '../../src/anomaly/flags/raise-flag.js';
import { resolveFlag } from '../../src/anomaly/flags/resolve-flag.js';
import type { Actor } from '../../src/domain/actor.js';
import { isDomainError } from '../../src/domain/domain-error.js';
import { describeEachDb } from '../support/test-db.js';

const sys: Actor = { kind: 'system', id: 'monitor' };
const ops: Actor = { kind: 'person', id: 'U_OPS' };
const input = (subjectId: string, over: Partial<FlagInput> = {}): FlagInput => ({
  subjectType: 'stock',
  subjectId,
  rule: 'stockout_projected',
  category: 'stock',
  severity: 'warning',
  score: 40,
  title: 'cover low',
  reasons: ['2 days of cover'],
  ...over,
});

describeEachDb('anomaly flags', (ctx) => {
  it('does not duplicate an open flag: the second raise refreshes the first', async () => {
    const a = await raiseFlag(ctx.db, input('v1@w1'), sys);
    const b = await raiseFlag(ctx.db, input('v1@w1', { score: 70, severity: 'critical', reasons: ['0.5 days of cover'] }), sys);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.flag.id).toBe(a.flag.id);
    expect(b.flag).toMatchObject({ occurrences: 2, score: 70, severity: 'critical', reasons: ['0.5 days of cover'] });
    expect(await listFlags(ctx.db, { subjectId: 'v1@w1' })).toHaveLength(1);
  });

  it('keeps deduplicating while acknowledged, and raises anew after resolution', async () => {
    const a = await raiseFlag(ctx.db, input('v2@w1'), sys);
    const acked = await acknowledgeFlag(ctx.db, a.flag.id, ops, 'reorder placed');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'person:U_OPS' });
    expect((await raiseFlag(ctx.db, input('v2@w1'), sys)).created).toBe(false);
    await resolveFlag(ctx.db, a.flag.id, ops, 'stock received');
    const again = await raiseFlag(ctx.db, input('v2@w1'), sys);
    expect(again.created).toBe(true);
    expect(again.flag.id).not.toBe(a.flag.id);
    expect((await listFlags(ctx.db, { subjectId: 'v2@w1', status: 'any' })).map((f) => f.status).sort()).toEqual(['open', 'resolved']);
  });

  it('separates flags by rule on the same subject', async () => {
    await raiseFlag(ctx.db, input('v3@w1'), sys);
    await raiseFlag(ctx.db, input('v3@w1', { rule: 'demand_spike' }), sys);
    expect(await listFlags(ctx.db, { subjectId: 'v3@w1' })).toHaveLength(2);
  });

  it('refuses to acknowledge or resolve a resolved flag, and a resolution without a note', async () => {
    const a = await raiseFlag(ctx.db, input('v4@w1'), sys);
    await expect(resolveFlag(ctx.db, a.flag.id, ops, '  ')).rejects.toThrow(/resolution/);
    await resolveFlag(ctx.db, a.flag.id, ops, 'false alarm');
    const err = await acknowledgeFlag(ctx.db, a.flag.id, ops).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('flag_resolved');
    await expect(resolveFlag(ctx.db, 999_999, ops, 'x')).rejects.toThrow(/not found/);
  });
});
