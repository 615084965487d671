/**
 * Agent evals: `npm run evals -- --model offline|scripted|anthropic [--suite name] [--suites-dir dir] [--verbose]`.
 * tau-retail: scripted replays the ground truth through the tools; anthropic runs full episodes
 * against a simulated customer (`--split test|dev|train`, default test; `--limit N`; `--user-model`).
 * Each suite's pass rate is printed against its floor (suite-floors.ts); the run exits 1 when a
 * suite is below it or could not run. The last line printed is one JSON object with pass counts per suite.
 */
import { parseArgs } from 'node:util';
import { AnthropicProvider } from '../src/agent/providers/anthropic-provider.js';
import type { ModelProvider } from '../src/agent/providers/model-provider.js';
import { OfflineProvider } from '../src/agent/providers/offline-provider.js';
import { ScriptedProvider } from '../src/agent/providers/scripted-provider.js';
import { loadConfig } from '../src/config/config.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { MissingDatasetError } from '../test/support/shared-dataset.js';
import { SUITES, type EvalCase, type Suite } from './eval-case.js';
import { judgeFloors, type SuiteOutcome } from './floor-verdict.js';
import { seedEvalStore } from './eval-store.js';
import { gradeCase } from './grade-case.js';
import { loadSuite } from './load-suite.js';
import { runCase } from './run-case.js';
import { SUITE_FLOORS } from './suite-floors.js';
import { ingestKnowledgeBase } from '../src/domain/knowledge/ingest-knowledge-base.js';
import { runTauRetailThroughTools } from './tau-retail/through-tools.js';
import { runTauRetailEpisodes, type TauSplit } from './tau-retail/episodes.js';
import { V1_SPLITS } from './tau-retail/tau-dataset.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'offline' },
    suite: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
    limit: { type: 'string' },
    split: { type: 'string', default: 'test' },
    'user-model': { type: 'string' },
    'suites-dir': { type: 'string' },
  },
});
const model = values.model!;
if (!['offline', 'scripted', 'anthropic'].includes(model)) {
  console.error(`evals: --model must be offline, scripted or anthropic (got "${model}")`);
  process.exit(2);
}
if (!(V1_SPLITS as readonly string[]).includes(values.split!)) {
  console.error(`evals: --split must be ${V1_SPLITS.join(', ')} (got "${values.split}")`);
  process.exit(2);
}
if (values.limit !== undefined && !(Number.isInteger(Number(values.limit)) && Number(values.limit) > 0)) {
  console.error(`evals: --limit must be a positive integer (got "${values.limit}")`);
  process.exit(2);
}
const wanted = (values.suite?.length ? values.suite : [...SUITES, 'tau-retail']) as (Suite | 'tau-retail')[];
for (const s of wanted) {
  if (![...SUITES, 'tau-retail'].includes(s)) {
    console.error(`evals: unknown suite "${s}" (suites: ${[...SUITES, 'tau-retail'].join(', ')})`);
    process.exit(2);
  }
}

const config = loadConfig({ ...process.env, APPROVERS: 'U_EVAL_APPROVER', APPROVAL_REFUND_THRESHOLD: '25', LOG_LEVEL: 'silent' });
if (model === 'anthropic' && !config.ANTHROPIC_API_KEY) {
  console.log('evals: ANTHROPIC_API_KEY is not set; the anthropic model cannot run. Nothing was evaluated.');
  console.log(JSON.stringify({ model, skipped: 'no ANTHROPIC_API_KEY', suites: {} }));
  process.exit(0);
}

function providerFor(c: EvalCase): ModelProvider | null {
  if (model === 'offline') return new OfflineProvider();
  if (model === 'scripted') return c.script ? new ScriptedProvider(c.script as never) : null;
  return new AnthropicProvider({
    apiKey: config.ANTHROPIC_API_KEY!,
    model: config.ANTHROPIC_MODEL,
    ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
  });
}

const summary: Record<string, Record<string, unknown>> = {};
const outcomes: Record<string, SuiteOutcome> = {};
const record = (suite: string, result: Record<string, unknown>) => {
  summary[suite] = result;
  outcomes[suite] =
    result.skipped !== undefined
      ? { skipped: typeof result.skipped === 'string' ? result.skipped : 'dataset not found' }
      : { passed: Number(result.passed ?? 0), total: Number(result.total ?? 0) };
};
const db = await createPgliteDb();
try {
  await migrate(db);
  await seedEvalStore(db);
  await ingestKnowledgeBase(db);
  for (const suite of wanted) {
    try {
      await runSuite(suite);
    } catch (err) {
      // Under CI a missing dataset fails its suite; the others still run and report.
      if (!(err instanceof MissingDatasetError)) throw err;
      console.log(`${suite}: ${err.message}`);
      outcomes[suite] = { error: err.message };
      summary[suite] = { error: err.message };
    }
  }
} finally {
  await db.close();
}

async function runSuite(suite: Suite | 'tau-retail'): Promise<void> {
  if (suite === 'tau-retail') {
    if (model === 'anthropic') {
      record(
        'tau-retail',
        await runTauRetailEpisodes({
          split: values.split as TauSplit,
          verbose: values.verbose!,
          ...(values.limit ? { limit: Number(values.limit) } : {}),
          ...(values['user-model'] ? { userModel: values['user-model'] } : {}),
        }),
      );
      return;
    }
    if (model !== 'scripted') {
      console.log(`tau-retail: runs with --model scripted (ground truth through the tools) or anthropic (full episodes); skipped for ${model}`);
      record('tau-retail', { skipped: `runs with --model scripted or anthropic, not ${model}` });
      return;
    }
    record('tau-retail', await runTauRetailThroughTools({ verbose: values.verbose!, ...(values.limit ? { limit: Number(values.limit) } : {}) }));
    return;
  }
  let passed = 0;
  let total = 0;
  const claimed = { passed: 0, total: 0 };
  const handoff = { passed: 0, total: 0 };
  for (const c of values['suites-dir'] ? loadSuite(suite, values['suites-dir']) : loadSuite(suite)) {
    const provider = providerFor(c);
    if (!provider) continue;
    const run = await runCase(db, config, c, provider);
    const grade = gradeCase(c, run, model, suite);
    total++;
    if (grade.passed) passed++;
    const bucket = grade.claimed ? claimed : handoff;
    bucket.total++;
    if (grade.passed) bucket.passed++;
    if (!grade.passed || values.verbose) {
      console.log(`${grade.passed ? 'PASS' : 'FAIL'} ${suite}/${c.id}${grade.claimed ? '' : ' (not claimed: must hand off)'}`);
      for (const f of grade.failures) console.log(`     ${f}`);
      if (!grade.passed) console.log(`     reply: ${run.replies.join(' | ').replace(/\s+/g, ' ').slice(0, 400)}`);
    }
  }
  if (total === 0) {
    console.log(`${suite}: no cases for the ${model} model (scripted runs only cases that carry a script)`);
    outcomes[suite] = { passed: 0, total: 0 };
    return;
  }
  console.log(`${suite}: ${passed}/${total} passed${model === 'offline' && suite !== 'security' ? ` (claimed intents ${claimed.passed}/${claimed.total}, handed off ${handoff.passed}/${handoff.total})` : ''}`);
  record(suite, model === 'offline' && suite !== 'security' ? { passed, total, claimed, handoff } : { passed, total });
}

const floors = SUITE_FLOORS[model as keyof typeof SUITE_FLOORS];
const verdict = judgeFloors(outcomes, floors);
console.log(`\npass rates against their floors (${model} model):`);
for (const line of verdict.lines) console.log(`  ${line}`);
console.log(verdict.below.length ? `evals: below the floor: ${verdict.below.join(', ')}` : 'evals: every suite at or above its floor');
console.log(JSON.stringify({ model, suites: summary, floors, below: verdict.below }));
process.exitCode = verdict.below.length ? 1 : 0;
