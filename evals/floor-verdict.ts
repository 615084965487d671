/** What one suite's run produced: pass counts, a skip (allowed outside CI), or why it could not run. */
export interface SuiteOutcome {
  passed?: number;
  total?: number;
  skipped?: string;
  error?: string;
}

export interface FloorVerdict {
  /** One line per suite: its rate against its floor. */
  lines: string[];
  /** Suites that fail the run; empty when it passes. */
  below: string[];
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const floorText = (floor: number) => `floor ${Math.round(floor * 1000) / 10}%`.padEnd(11);

/**
 * Compares each suite's pass rate with its floor. Below the floor, a floored suite whose cases did
 * not run, and a suite that could not run at all fail the run; a suite skipped on purpose and one
 * without a floor are only reported.
 */
export function judgeFloors(outcomes: Record<string, SuiteOutcome>, floors: Partial<Record<string, number>>): FloorVerdict {
  const lines: string[] = [];
  const below: string[] = [];
  for (const [suite, o] of Object.entries(outcomes)) {
    const name = suite.padEnd(18);
    const floor = floors[suite];
    if (o.error !== undefined) {
      below.push(suite);
      lines.push(`${name} did not run: ${o.error}  BELOW FLOOR`);
      continue;
    }
    if (o.skipped !== undefined) {
      lines.push(`${name} skipped: ${o.skipped}`);
      continue;
    }
    const passed = o.passed ?? 0;
    const total = o.total ?? 0;
    if (total === 0) {
      if (floor === undefined) lines.push(`${name}${'no cases ran'.padStart(17)}  no floor`);
      else {
        below.push(suite);
        lines.push(`${name}${'no cases ran'.padStart(17)}  ${floorText(floor)} BELOW FLOOR`);
      }
      continue;
    }
    const counts = `${`${passed}/${total}`.padStart(9)}${pct(passed / total).padStart(8)}`;
    if (floor === undefined) {
      lines.push(`${name}${counts}  no floor`);
      continue;
    }
    // Compared in whole cases, so 0.95 of 47 cases is 44.65 and 45 passes.
    const ok = passed >= floor * total - 1e-9;
    if (!ok) below.push(suite);
    lines.push(`${name}${counts}  ${floorText(floor)} ${ok ? 'ok' : 'BELOW FLOOR'}`);
  }
  return { lines, below };
}
