import type { NotificationContext } from './notification-context.js';
import type { Condition } from './workflow.js';

type Scalar = string | number | boolean | null;

/**
 * The value at a dotted path of the context (`shipment.status`), or undefined when any step of
 * the way is missing. `size` of a list or text is its length, as Liquid reads it. Only the
 * context's own fields are reachable, never an object's prototype.
 */
export function valueAt(context: NotificationContext, path: string): unknown {
  let current: unknown = context;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (key === 'size' && (Array.isArray(current) || typeof current === 'string')) {
      current = current.length;
      continue;
    }
    if (typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const exists = (v: unknown) => v !== undefined && v !== null;

// Money and counts may arrive as text ("20.00"); a number compares with either.
function asNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

function same(v: unknown, expected: Scalar): boolean {
  if (expected === null) return !exists(v);
  if (typeof expected === 'number') return asNumber(v) === expected;
  return v === expected;
}

/**
 * Whether a workflow condition holds for this context. A field the context does not have (or
 * holds null) does not exist: `exists: false` and `not_equals` / `not_in` hold for it, every
 * other comparison fails.
 */
export function evaluateCondition(condition: Condition, context: NotificationContext): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, context));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, context));
  if ('not' in condition) return !evaluateCondition(condition.not, context);
  const v = valueAt(context, condition.field);
  if (condition.exists !== undefined) return exists(v) === condition.exists;
  if (condition.equals !== undefined) return same(v, condition.equals);
  if (condition.not_equals !== undefined) return !same(v, condition.not_equals);
  if (condition.in !== undefined) return condition.in.some((x) => same(v, x));
  if (condition.not_in !== undefined) return !condition.not_in.some((x) => same(v, x));
  const n = asNumber(v);
  if (condition.gt !== undefined) return n !== null && n > condition.gt;
  if (condition.gte !== undefined) return n !== null && n >= condition.gte;
  if (condition.lt !== undefined) return n !== null && n < condition.lt;
  if (condition.lte !== undefined) return n !== null && n <= condition.lte;
  throw new Error(`condition on ${condition.field} names no comparison`);
}
