/**
 * Agent evals: `npm run evals -- --model offline|scripted|anthropic [--suite name] [--verbose]`.
 * tau-retail: scripted replays the ground truth through the tools; anthropic runs full episodes
 * against a simulated customer (`--split test|dev|train`, default test; `--limit N`; `--user-model`).
 * The last line printed is one JSON object with pass counts per suite.
 */
import { parseArgs } from 'node:util';
import { AnthropicProvider } from '../src/agent/providers/anthropic-provider.js';
import type { ModelProvider } from '../src/agent/providers/model-provider.js';
import { OfflineProvider } from '../src/agent/providers/offline-provider.js';
import { ScriptedProvider } from '../src/agent/providers/scripted-provider.js';
import { loadConfig } from '../src/config/config.js';
import { migrate } from '../src/db/migrate.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { SUITES, type EvalCase, type Suite } from './eval-case.js';
import { seedEvalStore } from './eval-store.js';
import { gradeCase } from './grade-case.js';
import { loadSuite } from './load-suite.js';
import { runCase } from './run-case.js';
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
const db = await createPgliteDb();
try {
  await migrate(db);
  await seedEvalStore(db);
  await ingestKnowledgeBase(db);
  for (const suite of wanted) {
    if (suite === 'tau-retail') {
      if (model === 'anthropic') {
        summary['tau-retail'] = await runTauRetailEpisodes({
          split: values.split as TauSplit,
          verbose: values.verbose!,
          ...(values.limit ? { limit: Number(values.limit) } : {}),
          ...(values['user-model'] ? { userModel: values['user-model'] } : {}),
        });
        continue;
      }
      if (model !== 'scripted') {
        console.log(`tau-retail: runs with --model scripted (ground truth through the tools) or anthropic (full episodes); skipped for ${model}`);
        continue;
      }
      const result = await runTauRetailThroughTools({ verbose: values.verbose!, ...(values.limit ? { limit: Number(values.limit) } : {}) });
      summary['tau-retail'] = result;
      continue;
    }
    let passed = 0;
    let total = 0;
    const claimed = { passed: 0, total: 0 };
    const handoff = { passed: 0, total: 0 };
    for (const c of loadSuite(suite)) {
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
      continue;
    }
    console.log(`${suite}: ${passed}/${total} passed${model === 'offline' && suite !== 'security' ? ` (claimed intents ${claimed.passed}/${claimed.total}, handed off ${handoff.passed}/${handoff.total})` : ''}`);
    summary[suite] = model === 'offline' && suite !== 'security' ? { passed, total, claimed, handoff } : { passed, total };
  }
} finally {
  await db.close();
}
console.log(JSON.stringify({ model, suites: summary }));
