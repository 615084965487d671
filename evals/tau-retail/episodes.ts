/**
 * Full tau-retail v1 episodes against a simulated customer, both played by Claude through our
 * provider (ANTHROPIC_BASE_URL honoured). Reports pass^1 = passed / total over the chosen split.
 * Used by `npm run evals -- --model anthropic --suite tau-retail [--split test|dev|train] [--limit N]`.
 */
import { AnthropicProvider } from '../../src/agent/providers/anthropic-provider.js';
import type { ModelProvider } from '../../src/agent/providers/model-provider.js';
import { importTauRetail } from '../../src/connectors/tau-retail/import-tau-retail.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite-db.js';
import { MAX_AGENT_STEPS, runEpisode, TAU_APPROVER, type EpisodeResult } from './run-episode.js';
import { loadPristine, loadV1Cases, TAU_RETAIL_ROOT, TAU_V1_DIR, tauDatasetPresent, V1_SPLITS } from './tau-dataset.js';

export type TauSplit = (typeof V1_SPLITS)[number];

export interface EpisodeProviders {
  agent: ModelProvider;
  user: ModelProvider;
}

/** The config episodes run with: our approver listed, and room for a whole episode in one turn. */
export function episodeConfig(env: NodeJS.ProcessEnv): Config {
  return loadConfig({ ...env, APPROVERS: TAU_APPROVER.id, AGENT_MAX_ITERATIONS: String(MAX_AGENT_STEPS), LOG_LEVEL: 'silent' });
}

/** Both sides on Claude; the customer uses `userModel` when given, else the agent's model. */
export function anthropicEpisodeProviders(config: Config, userModel?: string): EpisodeProviders {
  if (!config.ANTHROPIC_API_KEY) throw new Error('ANTHROPIC_API_KEY is required for tau-retail episodes');
  const make = (model: string) =>
    new AnthropicProvider({
      apiKey: config.ANTHROPIC_API_KEY!,
      model,
      ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
    });
  return { agent: make(config.ANTHROPIC_MODEL), user: make(userModel ?? config.ANTHROPIC_MODEL) };
}

export interface EpisodesOptions {
  split?: TauSplit;
  limit?: number;
  verbose?: boolean;
  userModel?: string;
  env?: NodeJS.ProcessEnv;
}

export async function runTauRetailEpisodes(options: EpisodesOptions = {}): Promise<Record<string, unknown>> {
  const split = options.split ?? 'test';
  if (!tauDatasetPresent()) {
    console.log(`tau-retail: dataset not found under ${TAU_RETAIL_ROOT}; skipped`);
    return { skipped: true };
  }
  const config = episodeConfig(options.env ?? process.env);
  const providers = anthropicEpisodeProviders(config, options.userModel);
  const tasks = loadV1Cases()
    .filter((c) => c.split === split)
    .slice(0, options.limit ?? Infinity);
  const started = Date.now();
  const db = await createPgliteDb();
  try {
    await migrate(db);
    await importTauRetail(db, TAU_V1_DIR);
    const pristine = loadPristine();
    let passed = 0;
    let errors = 0;
    let costUsd = 0;
    const ends: Record<string, number> = {};
    for (const task of tasks) {
      let r: EpisodeResult;
      try {
        r = await runEpisode({ db, config, agentProvider: providers.agent, userProvider: providers.user, pristine }, task);
      } catch (err) {
        // An API failure fails this task only; the run goes on with the next one.
        errors++;
        console.log(`ERROR ${task.label}: ${(err as Error).message}`);
        continue;
      }
      if (r.passed) passed++;
      costUsd += r.agentCostUsd;
      ends[r.endedBy] = (ends[r.endedBy] ?? 0) + 1;
      if (!r.passed || options.verbose) {
        console.log(`${r.passed ? 'PASS' : 'FAIL'} ${r.label} (ended by ${r.endedBy} after ${r.agentSteps} agent steps)`);
        for (const p of r.stateProblems.slice(0, 3)) console.log(`     state: ${p}`);
        if (r.missingOutputs.length) console.log(`     outputs not said: ${r.missingOutputs.join(', ')}`);
        if (options.verbose) for (const m of r.transcript) console.log(`     ${m.from}: ${m.text.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    }
    const total = tasks.length;
    const pass1 = total ? passed / total : 0;
    console.log(
      `tau-retail ${split}: pass^1 = ${passed}/${total} = ${pass1.toFixed(3)}` +
        ` (agent ${providers.agent.model}, customer ${providers.user.model}; agent cost $${costUsd.toFixed(2)}; ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    return { split, passed, total, pass1, errors, endedBy: ends, agentCostUsd: Number(costUsd.toFixed(4)) };
  } finally {
    await db.close();
  }
}
