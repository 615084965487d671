import type { WorkflowStep } from './workflow.js';

/**
 * Where a run stands in its workflow's steps: the index of the next step, with the branch taken
 * at each enclosing `if` before it: `[2]` is the third top-level step, `[1, 'then', 0]` the first
 * step of the second step's then-list. A cursor past the last top-level step means the run is done.
 */
export type WorkflowCursor = (number | 'then' | 'else')[];

export const START_CURSOR: WorkflowCursor = [0];

/** The steps list a cursor's last index points into, or null when the workflow has no such branch. */
function listAt(steps: readonly WorkflowStep[], path: WorkflowCursor): readonly WorkflowStep[] | null {
  let list = steps;
  for (let i = 0; i + 1 < path.length; i += 2) {
    const step = list[path[i] as number];
    if (!step || !('if' in step)) return null;
    list = path[i + 1] === 'then' ? step.then : (step.else ?? []);
  }
  return list;
}

/**
 * The step a cursor points at: undefined when the run has gone past the last step, null when the
 * cursor does not fit the workflow (its steps changed under the run).
 */
export function stepAt(steps: readonly WorkflowStep[], cursor: WorkflowCursor): WorkflowStep | null | undefined {
  if (cursor.length % 2 !== 1 || typeof cursor[cursor.length - 1] !== 'number') return null;
  const list = listAt(steps, cursor);
  if (!list) return null;
  const index = cursor[cursor.length - 1] as number;
  if (cursor.length > 1 && index >= list.length) return null;
  return list[index];
}

// Past the end of a branch, the run continues after the `if` that holds it.
function settle(steps: readonly WorkflowStep[], cursor: WorkflowCursor): WorkflowCursor {
  let c = cursor;
  while (c.length > 1 && (c[c.length - 1] as number) >= (listAt(steps, c)?.length ?? 0)) {
    c = c.slice(0, -2);
    c[c.length - 1] = (c[c.length - 1] as number) + 1;
  }
  return c;
}

/** The cursor of the step after the one `cursor` points at. */
export function nextCursor(steps: readonly WorkflowStep[], cursor: WorkflowCursor): WorkflowCursor {
  const c = [...cursor];
  c[c.length - 1] = (c[c.length - 1] as number) + 1;
  return settle(steps, c);
}

/** The cursor after taking `branch` of the `if` step `cursor` points at. */
export function enterBranch(steps: readonly WorkflowStep[], cursor: WorkflowCursor, branch: 'then' | 'else'): WorkflowCursor {
  return settle(steps, [...cursor, branch, 0]);
}

/** A short, stable name of the step a cursor points at ("1.then.0"), for idempotency keys. */
export const cursorLabel = (cursor: WorkflowCursor): string => cursor.join('.');
