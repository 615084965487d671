import { expect, it } from 'vitest';
import { cursorLabel, enterBranch, nextCursor, START_CURSOR, stepAt } from './workflow-cursor.js';
import type { WorkflowStep } from './workflow.js';

const steps: WorkflowStep[] = [
  { wait: '10m' },
  { if: { field: 'shipment.status', equals: 'voided' }, then: [], else: [{ send: { template: 'shipped' } }, { wait: '1h' }] },
  { send: { template: 'after' } },
];

it('walks steps, into the branch taken and out again after it', () => {
  let c = START_CURSOR;
  expect(stepAt(steps, c)).toEqual({ wait: '10m' });
  c = nextCursor(steps, c);
  expect(c).toEqual([1]);
  c = enterBranch(steps, c, 'else');
  expect(c).toEqual([1, 'else', 0]);
  expect(cursorLabel(c)).toBe('1.else.0');
  expect(stepAt(steps, c)).toEqual({ send: { template: 'shipped' } });
  c = nextCursor(steps, nextCursor(steps, c));
  expect(c).toEqual([2]);
  expect(stepAt(steps, nextCursor(steps, c))).toBeUndefined();
});

it('steps over an empty branch and a missing else', () => {
  expect(enterBranch(steps, [1], 'then')).toEqual([2]);
  const noElse: WorkflowStep[] = [{ if: { field: 'x', exists: true }, then: [{ stop: true }] }];
  expect(stepAt(noElse, enterBranch(noElse, [0], 'else'))).toBeUndefined();
});

it('says when a cursor no longer fits the workflow', () => {
  expect(stepAt(steps, [0, 'then', 0])).toBeNull();
  expect(stepAt(steps, [1, 'else', 5])).toBeNull();
  expect(stepAt(steps, ['then'] as never)).toBeNull();
});
