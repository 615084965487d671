import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Runs a script of the repository as CI runs it, with a clean CI variable unless given. */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  const { CI: _ci, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('eval runner exit code', () => {
  it('exits 1 when a suite is below its floor, naming the suite and its rate against the floor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderops-evals-'));
    // One security case that cannot pass: the hold it checks for is never there.
    writeFileSync(
      join(dir, 'security.yaml'),
      `- id: s-impossible
  intent: tool_args
  persona: ops
  messages: ["hello"]
  expect:
    db: [{ sql: "SELECT status FROM orders WHERE id = '#W1000001'", rows: [{ status: on_hold }] }]
`,
    );
    const out = run('evals/run.ts', ['--model', 'offline', '--suite', 'security', '--suites-dir', dir]);
    expect(out.stdout).toMatch(/security\s+0\/1\s+0\.0%\s+floor 100%\s+BELOW FLOOR/);
    expect(out.stdout).toMatch(/evals: below the floor: security/);
    expect(out.status).toBe(1);
  }, 120_000);

  it('under CI=true, a missing tau-retail dataset fails the eval run and the replay instead of skipping', () => {
    const env = { CI: 'true', TAU_RETAIL_DIR: join(tmpdir(), 'orderops-no-such-dataset') };
    const evals = run('evals/run.ts', ['--model', 'scripted', '--suite', 'tau-retail'], env);
    expect(evals.stdout + evals.stderr).toMatch(/tau-retail dataset under .*orderops-no-such-dataset not found; with CI=true/);
    expect(evals.status).toBe(1);

    const replay = run('evals/tau-retail/replay.ts', [], env);
    expect(replay.stdout + replay.stderr).toMatch(/orderops-no-such-dataset not found; with CI=true/);
    expect(replay.status).toBe(1);

    const local = run('evals/tau-retail/replay.ts', [], { TAU_RETAIL_DIR: env.TAU_RETAIL_DIR });
    expect(local.stdout).toMatch(/skipped/);
    expect(local.status).toBe(0);
  }, 120_000);
});
