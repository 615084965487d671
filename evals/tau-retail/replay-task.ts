import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { getVariant } from '../../src/domain/catalog/catalog-repository.js';
import { getCustomerDetails } from '../../src/domain/customers/customer-repository.js';
import { fromCents } from '../../src/domain/money.js';
import { loadOrder, toRetailOrder } from '../../src/domain/orders/order-repository.js';
import { findCustomerPaymentMethod } from '../../src/domain/payments/payment-method-repository.js';
import { firstDifference } from './money-deep-equal.js';
import { dispatchTauTool, type TauVersion } from './tau-dispatch.js';

export interface ExpectedStep {
  name: string;
  observation: string;
  is_error: boolean;
  skipped_in_reward_replay?: boolean;
}

export interface ReplayCase {
  version: TauVersion;
  /** For messages: "v1 test #3", "v2 task 20". */
  label: string;
  actions: { name: string; args: Record<string, unknown> }[];
  steps: ExpectedStep[];
  changed: { users?: Record<string, unknown>; orders?: Record<string, unknown> };
}

export interface Pristine {
  users: Record<string, unknown>;
  orders: Record<string, unknown>;
}

export interface ReplayOutcome {
  matched: boolean;
  /** Empty when matched; otherwise every step or record that differs. */
  problems: string[];
  /**
   * modify_pending_order_items steps where the reference's float comparison `balance < diff`
   * and the exact one in cents disagree, i.e. where the outcome depends on float noise.
   */
  floatEdgeSteps: string[];
}

const OPTIONAL_ORDER_FIELDS = [
  'cancel_reason',
  'exchange_items',
  'exchange_new_items',
  'exchange_payment_method_id',
  'exchange_price_difference',
  'return_items',
  'return_payment_method_id',
];

/**
 * A v2 (model_dump) record in v1 form: users lose `user_id`, orders lose optional fields that
 * are null. Anything else passes through.
 */
export function toV1Shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if ('payment_methods' in out && 'name' in out) delete out.user_id;
  if ('order_id' in out) for (const k of OPTIONAL_ORDER_FIELDS) if (out[k] === null) delete out[k];
  return out;
}

function parseMaybe(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/**
 * How the end state differs from the reference: every record the task was expected to change,
 * and every order or customer our writes touched after audit row `auditStart`, is compared with
 * its expected (changed or pristine) v1 form. Empty when they all match.
 */
export async function endStateProblems(tx: Db, c: ReplayCase, pristine: Pristine, auditStart: number): Promise<string[]> {
  const problems: string[] = [];
  const { rows: audit } = await tx.query<{ entity_type: string; entity_id: string; data: Record<string, unknown> }>(
    'SELECT entity_type, entity_id, data FROM audit_log WHERE id > $1 ORDER BY id',
    [auditStart],
  );
  const orderIds = new Set(Object.keys(c.changed.orders ?? {}));
  const userIds = new Set(Object.keys(c.changed.users ?? {}));
  for (const a of audit) {
    if (a.entity_type === 'order') orderIds.add(a.entity_id);
    else if (a.entity_type === 'customer') userIds.add(a.entity_id);
    else if (a.entity_type === 'payment_method') userIds.add(String(a.data.customerId));
  }
  for (const id of orderIds) {
    const record = await loadOrder(tx, id);
    const expected = toV1Shape(c.changed.orders?.[id] ?? pristine.orders[id]);
    const diff = firstDifference(expected, record ? toRetailOrder(record) : null);
    if (diff) problems.push(`${c.label} order ${id}: ${diff}`);
  }
  for (const id of userIds) {
    const expected = toV1Shape(c.changed.users?.[id] ?? pristine.users[id]);
    const diff = firstDifference(expected, await getCustomerDetails(tx, id));
    if (diff) problems.push(`${c.label} user ${id}: ${diff}`);
  }
  return problems;
}

/** The highest audit row id now: records written after it are the ones a run touched. */
export async function auditHighWater(tx: Db): Promise<number> {
  const { rows } = await tx.query<{ max: number | null }>('SELECT max(id) AS max FROM audit_log');
  return Number(rows[0]?.max ?? 0);
}

class Rollback extends Error {}

const REPLAY_ACTOR: Actor = { kind: 'system', id: 'tau-replay' };

/**
 * Replays one task's ground-truth actions in a transaction that is always rolled back, and
 * compares each step (error or not; v1 error texts; outputs as parsed JSON to the cent) and the
 * final state of every record the task touched or was expected to change.
 */
export async function replayCase(db: Db, c: ReplayCase, pristine: Pristine): Promise<ReplayOutcome> {
  const problems: string[] = [];
  const floatEdgeSteps: string[] = [];
  if (c.actions.length !== c.steps.length) problems.push(`${c.label}: ${c.actions.length} actions but ${c.steps.length} expected steps`);
  try {
    await db.transaction(async (tx) => {
      const auditStart = await auditHighWater(tx);

      for (let i = 0; i < c.actions.length; i++) {
        const action = c.actions[i]!;
        const step = c.steps[i];
        const where = `${c.label} step ${i} ${action.name}`;
        if (c.version === 'v1' && action.name === 'transfer_to_human_agents') continue;
        if (action.name === 'modify_pending_order_items' && (await dependsOnFloatNoise(tx, action.args))) floatEdgeSteps.push(where);
        const result = await dispatchTauTool(tx, action.name, action.args, { version: c.version, actor: REPLAY_ACTOR });
        if (!step) continue;
        if (result.ok === step.is_error) {
          problems.push(`${where}: expected ${step.is_error ? `error ${step.observation}` : 'success'}, got ${result.ok ? 'success' : `error ${result.error}`}`);
          continue;
        }
        if (!result.ok) {
          if (c.version === 'v1' && `Error: ${result.error}` !== step.observation) {
            problems.push(`${where}: expected "${step.observation}", got "Error: ${result.error}"`);
          }
          continue;
        }
        const expected = c.version === 'v2' ? toV1Shape(parseMaybe(step.observation)) : parseMaybe(step.observation);
        const diff = firstDifference(expected, parseMaybe(result.output));
        if (diff) problems.push(`${where}: output ${diff}`);
      }

      problems.push(...(await endStateProblems(tx, c, pristine, auditStart)));
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return { matched: problems.length === 0, problems, floatEdgeSteps };
}

/** Replays the reference's float arithmetic for a modify-items call and compares it with ours. */
async function dependsOnFloatNoise(tx: Db, args: Record<string, unknown>): Promise<boolean> {
  const order = await loadOrder(tx, String(args.order_id));
  const oldIds = args.item_ids as string[] | undefined;
  const newIds = args.new_item_ids as string[] | undefined;
  if (!order || order.status !== 'pending' || !Array.isArray(oldIds) || !Array.isArray(newIds) || oldIds.length !== newIds.length) return false;
  let floatDiff = 0;
  let cents = 0;
  for (let i = 0; i < oldIds.length; i++) {
    const line = order.lines.find((l) => l.variantId === oldIds[i]);
    const variant = await getVariant(tx, String(newIds[i]));
    if (!line || !variant) return false;
    floatDiff += fromCents(variant.priceCents) - fromCents(line.priceCents);
    cents += variant.priceCents - line.priceCents;
  }
  const method = await findCustomerPaymentMethod(tx, order.customerId, String(args.payment_method_id));
  if (!method || method.source !== 'gift_card' || method.balanceCents === null) return false;
  return fromCents(method.balanceCents) < floatDiff !== method.balanceCents < cents;
}
