import { describe, expect, it } from 'vitest';
import type { AnomalyFlag } from './flags/anomaly-flag.js';
import { summariseSweep } from './summarise-sweep.js';

const flag = (id: number, rule: string, firstSeenAt: string) =>
  ({ id, rule, subjectType: 'order', subjectId: `ORD-${id}`, title: `order ORD-${id} late`, firstSeenAt }) as unknown as AnomalyFlag;

describe('summariseSweep', () => {
  it('logs N breaches as one summary line, and on a second run with nothing new no per-item lines', () => {
    const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const log = {
      info: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'info', msg, fields }),
      debug: (msg: string, fields?: Record<string, unknown>) => void lines.push({ level: 'debug', msg, fields }),
    };
    const first = new Date('2026-12-03T10:00:00Z');
    const flags = [flag(1, 'order_sla', '2026-12-03T10:00:01Z'), flag(2, 'order_sla', '2026-12-03T10:00:01Z'), flag(3, 'label_not_scanned', '2026-12-03T10:00:02Z')];
    summariseSweep(log, 'SLA sweep', flags, 0, first);
    expect(lines.filter((l) => l.level === 'info')).toEqual([
      { level: 'info', msg: 'SLA sweep: 3 new, 0 still open, 0 cleared', fields: { sweep: 'SLA sweep', byRule: { order_sla: { new: 2, open: 0 }, label_not_scanned: { new: 1, open: 0 } }, cleared: 0 } },
    ]);
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(3);

    lines.length = 0;
    summariseSweep(log, 'SLA sweep', flags, 1, new Date('2026-12-03T10:05:00Z'));
    expect(lines).toEqual([
      { level: 'info', msg: 'SLA sweep: 0 new, 3 still open, 1 cleared', fields: { sweep: 'SLA sweep', byRule: { order_sla: { new: 0, open: 2 }, label_not_scanned: { new: 0, open: 1 } }, cleared: 1 } },
    ]);

    lines.length = 0;
    summariseSweep(log, 'SLA sweep', [], 0, new Date('2026-12-03T10:10:00Z'));
    expect(lines).toEqual([]);
  });
});
