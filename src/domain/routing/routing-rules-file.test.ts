import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_LOCATIONS } from '../../demo/demo-reference-data.js';
import { RoutingRuleInputError } from './routing-rule-input-error.js';
import { parseRoutingRulesYaml } from './routing-rules-file.js';

const issuesOf = (text: string) => {
  try {
    parseRoutingRulesYaml(text, 'rules.yaml');
  } catch (err) {
    if (err instanceof RoutingRuleInputError) return err.issues;
    throw err;
  }
  throw new Error('expected the file to be refused');
};

describe('parseRoutingRulesYaml', () => {
  it('reads the shipped rules file, positions in file order, naming only demo locations', () => {
    const rules = parseRoutingRulesYaml(readFileSync('routing-rules.yaml', 'utf8'));
    expect(rules.map((r) => r.position)).toEqual(rules.map((_, i) => (i + 1) * 10));
    const ids = new Set<string>(DEMO_LOCATIONS.map((l) => l.id));
    for (const r of rules) for (const loc of [...(r.outcome.eligibleLocations ?? []), ...(r.outcome.excludedLocations ?? [])]) expect(ids.has(loc)).toBe(true);
  });

  it('names the rule and the field of every mistake', () => {
    const issues = issuesOf(`
rules:
  - id: ok-rule
    name: fine
    then: { strategy: nearest }
  - id: bad-rule
    name: broken
    when: { orderValueMin: -1, planet: mars, serviceLevel: [teleport] }
    then: { strategy: cheapest }
  - name: no id
    then: { maxSplits: 0 }
`);
    expect(issues).toEqual([
      { path: 'rules.1 (bad-rule).when.orderValueMin', message: 'must not be negative' },
      { path: 'rules.1 (bad-rule).when.serviceLevel.0', message: expect.stringContaining('expected one of') },
      { path: 'rules.1 (bad-rule).when', message: expect.stringContaining('planet') },
      { path: 'rules.1 (bad-rule).then.strategy', message: expect.stringContaining('expected one of') },
      { path: 'rules.2.then.maxSplits', message: 'must be at least 1' },
    ]);
  });

  it('refuses a file without a rules list, bad YAML, a missing or repeated id', () => {
    expect(issuesOf('hello: 1')).toEqual([{ path: 'rules', message: 'must be a list of rules' }]);
    expect(issuesOf('rules: [')[0]!.message).toMatch(/^is not valid YAML/);
    expect(issuesOf('rules:\n  - name: x\n    then: { strategy: nearest }')).toEqual([{ path: 'rules.0.id', message: 'is required in a rules file' }]);
    expect(issuesOf('rules:\n  - { id: a, name: x, then: { strategy: nearest } }\n  - { id: a, name: y, then: { strategy: priority } }')).toEqual([
      { path: 'rules.1 (a).id', message: 'a is used twice' },
    ]);
  });
});
