import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'route-cli-')), DATABASE_URL: '' },
    timeout: 120_000,
  });
const rulesFile = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'route-rules-')), 'rules.yaml');
  writeFileSync(path, text);
  return path;
};

// Each case starts the real CLI process (tsx compiles it), which takes seconds on a busy machine.
describe('orderops route', { timeout: 120_000 }, () => {
  it('simulate names a missing rules file, a bad --since and a bad rule, and exits 2', () => {
    const missing = run('route', 'simulate', '--rules', '/no/such/rules.yaml');
    expect(missing.stderr).toContain('--rules: /no/such/rules.yaml does not exist');
    expect(missing.status).toBe(2);

    const good = rulesFile('rules:\n  - { id: a, name: A, then: { strategy: nearest } }\n');
    const since = run('route', 'simulate', '--rules', good, '--since', 'soon');
    expect(since.stderr).toContain('--since: "soon" must be a number of days');
    expect(since.status).toBe(2);

    const bad = rulesFile('rules:\n  - { id: canada, name: Canada, when: { country: [] }, then: { strategy: nearest } }\n');
    const invalid = run('route', 'simulate', '--rules', bad);
    expect(invalid.stderr).toContain('rules.0 (canada).when.country: must list at least one value');
    expect(invalid.status).toBe(2);
  });

  it('explain says when an order has no routing decision', () => {
    const r = run('route', 'explain', 'W0000001');
    expect(r.stdout).toContain('order #W0000001 has no routing decision');
    expect(r.status).toBe(0);
  });
});
