import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { RoutingRuleInputError } from './routing-rule-input-error.js';
import { parseRoutingRuleInput, type RoutingConditions, type RoutingOutcome, type RoutingRule } from './routing-rule.js';

export interface RuleRow {
  id: string;
  position: number;
  name: string;
  enabled: boolean;
  conditions: RoutingConditions;
  outcome: RoutingOutcome;
  source: 'file' | 'api';
}

export const RULE_COLUMNS = 'id, position, name, enabled, conditions, outcome, source';

export const toRule = (r: RuleRow): RoutingRule => ({ ...r });

/** Every rule in evaluation order. */
export async function listRoutingRules(db: Db): Promise<RoutingRule[]> {
  const { rows } = await db.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM routing_rules ORDER BY position, id`,
  );
  return rows.map(toRule);
}

export async function findRoutingRule(db: Db, id: string): Promise<RoutingRule | null> {
  const { rows } = await db.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM routing_rules WHERE id = $1`,
    [id],
  );
  return rows[0] ? toRule(rows[0]) : null;
}

function validated(body: unknown) {
  const parsed = parseRoutingRuleInput(body);
  if (!parsed.ok) throw new RoutingRuleInputError(parsed.issues);
  return parsed.rule;
}

/**
 * Adds a rule (source 'api'). Without a position it goes last; without an id one is made from
 * the name. Throws RoutingRuleInputError naming each bad field, or conflict when the id is taken.
 */
export async function createRoutingRule(db: Db, body: unknown, actor: Actor): Promise<RoutingRule> {
  const input = validated(body);
  return db.transaction(async (tx) => {
    const id = input.id ?? (await freeId(tx, input.name));
    const position =
      input.position ??
      (await tx.query<{ next: number }>('SELECT COALESCE(max(position) + 10, 10)::int AS next FROM routing_rules')).rows[0]!.next;
    const ins = await tx.query<RuleRow>(
      `INSERT INTO routing_rules (id, position, name, enabled, conditions, outcome, source)
       VALUES ($1, $2, $3, $4, $5, $6, 'api') ON CONFLICT (id) DO NOTHING
       RETURNING id, position, name, enabled, conditions, outcome, source`,
      [id, position, input.name, input.enabled, JSON.stringify(input.when), JSON.stringify(input.then)],
    );
    if (!ins.rows[0]) throw new DomainError('conflict', 'routing_rule_exists', `routing rule ${id} already exists`);
    await recordAudit(tx, actor, { action: 'routing_rule.created', entityType: 'routing_rule', entityId: id, data: { ...input, id, position } });
    return toRule(ins.rows[0]);
  });
}

/** Replaces a rule's fields (a rule from the file becomes an API rule once edited, so a reload keeps the edit). */
export async function updateRoutingRule(db: Db, id: string, body: unknown, actor: Actor): Promise<RoutingRule> {
  const input = validated(body);
  if (input.id !== undefined && input.id !== id) {
    throw new RoutingRuleInputError([{ path: 'id', message: `must match the rule in the path (${id}) or be left out` }]);
  }
  return db.transaction(async (tx) => {
    const upd = await tx.query<RuleRow>(
      `UPDATE routing_rules SET name = $2, enabled = $3, conditions = $4, outcome = $5, position = COALESCE($6, position),
              source = 'api', updated_at = now()
        WHERE id = $1 RETURNING id, position, name, enabled, conditions, outcome, source`,
      [id, input.name, input.enabled, JSON.stringify(input.when), JSON.stringify(input.then), input.position ?? null],
    );
    if (!upd.rows[0]) throw new DomainError('not_found', 'routing_rule_not_found', `routing rule ${id} not found`);
    await recordAudit(tx, actor, { action: 'routing_rule.updated', entityType: 'routing_rule', entityId: id, data: input });
    return toRule(upd.rows[0]);
  });
}

export async function deleteRoutingRule(db: Db, id: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const del = await tx.query('DELETE FROM routing_rules WHERE id = $1 RETURNING id', [id]);
    if (del.rows.length === 0) throw new DomainError('not_found', 'routing_rule_not_found', `routing rule ${id} not found`);
    await recordAudit(tx, actor, { action: 'routing_rule.deleted', entityType: 'routing_rule', entityId: id, data: {} });
  });
}

/** Swaps the file's rules for a new set in one transaction; rules written through the API stay. */
export async function replaceFileRoutingRules(db: Db, rules: Omit<RoutingRule, 'source'>[], actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM routing_rules WHERE source = 'file'`);
    const clash = await tx.query<{ id: string }>('SELECT id FROM routing_rules WHERE id = ANY($1::text[])', [rules.map((r) => r.id)]);
    if (clash.rows[0]) {
      throw new DomainError('conflict', 'routing_rule_exists', `routing rule ${clash.rows[0].id} in the file is already defined through the API`);
    }
    for (const r of rules) {
      await tx.query(
        `INSERT INTO routing_rules (id, position, name, enabled, conditions, outcome, source) VALUES ($1, $2, $3, $4, $5, $6, 'file')`,
        [r.id, r.position, r.name, r.enabled, JSON.stringify(r.conditions), JSON.stringify(r.outcome)],
      );
    }
    await recordAudit(tx, actor, { action: 'routing_rules.loaded', entityType: 'routing_rule', entityId: 'file', data: { ids: rules.map((r) => r.id) } });
  });
}

async function freeId(tx: Db, name: string): Promise<string> {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'rule';
  for (let n = 1; n < 100; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if ((await tx.query('SELECT 1 FROM routing_rules WHERE id = $1', [id])).rows.length === 0) return id;
  }
  throw new Error(`no free routing rule id for ${name}`);
}
