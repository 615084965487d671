import { describe, expect, it } from 'vitest';
import { judgeFloors } from './floor-verdict.js';
import { SUITE_FLOORS } from './suite-floors.js';

describe('eval floors', () => {
  it('passes when every suite is at or above its floor, and prints each rate against it', () => {
    const v = judgeFloors({ security: { passed: 35, total: 35 }, customer: { passed: 45, total: 47 } }, { security: 1, customer: 0.95 });
    expect(v.below).toEqual([]);
    expect(v.lines).toEqual([
      'security              35/35  100.0%  floor 100%  ok',
      'customer              45/47   95.7%  floor 95%   ok',
    ]);
  });

  it('fails a suite below its floor, a floored suite whose cases did not run, and a suite that could not run', () => {
    const v = judgeFloors(
      {
        security: { passed: 34, total: 35 },
        ops: { passed: 0, total: 0 },
        'tau-retail': { error: 'the tau-retail dataset under /x not found' },
        customer: { passed: 47, total: 47 },
      },
      { security: 1, ops: 0.95, 'tau-retail': 1, customer: 0.95 },
    );
    expect(v.below).toEqual(['security', 'ops', 'tau-retail']);
    expect(v.lines[0]).toBe('security              34/35   97.1%  floor 100%  BELOW FLOOR');
    expect(v.lines[1]).toBe('ops                    no cases ran  floor 95%   BELOW FLOOR');
    expect(v.lines[2]).toBe('tau-retail         did not run: the tau-retail dataset under /x not found  BELOW FLOOR');
  });

  it('reports a skipped suite and a suite without a floor without failing', () => {
    const v = judgeFloors({ 'tau-retail': { skipped: 'dataset not found' }, ops: { passed: 1, total: 3 } }, { 'tau-retail': 1 });
    expect(v.below).toEqual([]);
    expect(v.lines).toEqual(['tau-retail         skipped: dataset not found', 'ops                     1/3   33.3%  no floor']);
  });

  it('holds security at 100% for every model, and no floor above 100%', () => {
    for (const floors of Object.values(SUITE_FLOORS)) {
      expect(floors.security).toBe(1);
      for (const f of Object.values(floors)) expect(f).toBeLessThanOrEqual(1);
    }
  });
});
