/**
 * The tau-retail v1 ground truth through the agent's tool layer: each task's actions become the
 * steps of a scripted model, run by the real turn loop with the ops toolset; every gated call is
 * approved by an eval approver (and runs through the approval service), and the end state of
 * every touched record is compared with the reference replay. Used by `npm run evals -- --model scripted`.
 */
import { createAgentService } from '../../src/agent/agent-service.js';
import { ScriptedProvider, type ScriptStep } from '../../src/agent/providers/scripted-provider.js';
import { importTauRetail } from '../../src/connectors/tau-retail/import-tau-retail.js';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite-db.js';
import { auditHighWater, endStateProblems, type Pristine, type ReplayCase } from './replay-task.js';
import { loadPristine, loadV1Cases, TAU_RETAIL_ROOT, TAU_V1_DIR, tauDatasetPresent } from './tau-dataset.js';

const APPROVER = { kind: 'person' as const, id: 'U_TAU_APPROVER' };

/** The reference tool name and arguments as a call of our tool, or null for tools that change nothing. */
export function toToolCall(name: string, args: Record<string, unknown>): { name: string; input: Record<string, unknown> } | null {
  const { user_id, ...rest } = args;
  switch (name) {
    case 'find_user_id_by_email':
    case 'find_user_id_by_name_zip':
      return { name: 'find_customer', input: args };
    case 'get_user_details':
      return { name: 'get_customer_details', input: { customer_id: user_id } };
    case 'get_order_details':
    case 'get_product_details':
      return { name, input: args };
    case 'list_all_product_types':
      return { name: 'list_product_types', input: {} };
    case 'cancel_pending_order':
      return { name: 'cancel_order', input: args };
    case 'modify_pending_order_address':
      return { name: 'modify_order_address', input: args };
    case 'modify_pending_order_items':
      return { name: 'modify_order_items', input: args };
    case 'modify_pending_order_payment':
      return { name: 'modify_order_payment', input: args };
    case 'modify_user_address':
      return { name: 'modify_customer_address', input: { customer_id: user_id, ...rest } };
    case 'return_delivered_order_items':
      return { name: 'return_order_items', input: args };
    case 'exchange_delivered_order_items':
      return { name: 'exchange_order_items', input: args };
    default:
      // calculate, think and transfer_to_human_agents change no state (v1 skips the transfer).
      return null;
  }
}

class Rollback extends Error {}

async function runTask(db: Db, c: ReplayCase, pristine: Pristine, config: ReturnType<typeof loadConfig>): Promise<string[]> {
  const problems: string[] = [];
  try {
    await db.transaction(async (tx) => {
      const auditStart = await auditHighWater(tx);
      const steps: ScriptStep[] = c.actions.flatMap((a) => {
        const call = toToolCall(a.name, a.args);
        return call ? [{ toolCalls: [call] }] : [];
      });
      steps.push({ text: 'All done.' });
      const provider = new ScriptedProvider(steps);
      const agent = createAgentService({ db: tx, config, provider });
      const threadKey = `tau-${c.label}`;
      const turn = { channel: 'api' as const, threadKey, requester: { kind: 'person' as const, id: 'U_TAU_OPS' }, verification: { verified: true, summary: 'tau-retail operator' }, persona: 'ops' as const };
      await agent.runTurn({ ...turn, text: 'Carry out the customer request.' });
      for (let guard = 0; guard < 100; guard++) {
        const pending = await agent.approvals.listApprovals({ status: 'pending', threadKey });
        if (pending.length > 0) {
          for (const a of pending) await agent.decide({ id: a.id, decision: 'approve', decider: APPROVER });
        } else if (provider.remaining > 0) {
          await agent.runTurn({ ...turn, text: 'Continue.' });
        } else break;
      }
      if (provider.remaining > 0) problems.push(`${c.label}: ${provider.remaining} scripted steps never ran`);

      problems.push(...(await endStateProblems(tx, c, pristine, auditStart)));
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return problems;
}

export async function runTauRetailThroughTools(options: { verbose?: boolean; limit?: number } = {}): Promise<Record<string, unknown>> {
  if (!tauDatasetPresent()) {
    console.log(`tau-retail: dataset not found under ${TAU_RETAIL_ROOT}; skipped`);
    return { skipped: true };
  }
  const started = Date.now();
  const config = loadConfig({ ...process.env, APPROVERS: APPROVER.id, AGENT_MAX_ITERATIONS: '50', LOG_LEVEL: 'silent' });
  const db = await createPgliteDb();
  try {
    await migrate(db);
    await importTauRetail(db, TAU_V1_DIR);
    const pristine = loadPristine();
    const cases = loadV1Cases().slice(0, options.limit ?? Infinity);
    let matched = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const problems = await runTask(db, c, pristine, config);
      if (problems.length === 0) matched++;
      else failures.push(...problems.slice(0, 3));
      if (options.verbose && problems.length) console.log(problems.join('\n'));
    }
    for (const f of failures.slice(0, 20)) console.log(`  MISMATCH ${f}`);
    console.log(`tau-retail: ${matched}/${cases.length} v1 end states match through the tool layer (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return { passed: matched, total: cases.length };
  } finally {
    await db.close();
  }
}
