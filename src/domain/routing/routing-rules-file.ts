import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { parseRoutingRuleInput, type RoutingRule, type RuleIssue } from './routing-rule.js';
import { RoutingRuleInputError } from './routing-rule-input-error.js';
import { replaceFileRoutingRules } from './routing-rule-repository.js';

/**
 * Reads a rules file (`rules:` list in YAML). A rule's position is its place in the file unless
 * it sets one; its id is required, so a reload replaces the same rules. Every issue names the
 * rule (by number and id) and the field.
 */
export function parseRoutingRulesYaml(text: string, label = 'rules file'): Omit<RoutingRule, 'source'>[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new RoutingRuleInputError([{ path: '(file)', message: `is not valid YAML: ${(err as Error).message}` }], `${label}: `);
  }
  const list = (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) throw new RoutingRuleInputError([{ path: 'rules', message: 'must be a list of rules' }], `${label}: `);
  const issues: RuleIssue[] = [];
  const rules: Omit<RoutingRule, 'source'>[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    const where = `rules.${i}${id ? ` (${id})` : ''}`;
    const parsed = parseRoutingRuleInput(raw);
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ path: `${where}.${issue.path}`, message: issue.message });
      return;
    }
    if (!parsed.rule.id) return void issues.push({ path: `${where}.id`, message: 'is required in a rules file' });
    if (seen.has(parsed.rule.id)) return void issues.push({ path: `${where}.id`, message: `${parsed.rule.id} is used twice` });
    seen.add(parsed.rule.id);
    rules.push({
      id: parsed.rule.id,
      position: parsed.rule.position ?? (i + 1) * 10,
      name: parsed.rule.name,
      enabled: parsed.rule.enabled,
      conditions: parsed.rule.when,
      outcome: parsed.rule.then,
    });
  });
  if (issues.length > 0) throw new RoutingRuleInputError(issues, `${label}: `);
  return rules;
}

/** Loads the rules file into routing_rules, replacing only the rules an earlier load wrote. */
export async function loadRoutingRulesFile(db: Db, path: string, actor: Actor): Promise<number> {
  const rules = parseRoutingRulesYaml(await readFile(path, 'utf8'), path);
  await replaceFileRoutingRules(db, rules, actor);
  return rules.length;
}
