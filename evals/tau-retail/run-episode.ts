/**
 * One full tau-retail v1 episode: a simulated customer (a model playing the task's instruction)
 * chats with our agent service until the customer says ###STOP###, the agent hands off to a
 * person, or the agent has taken 30 steps. Everything runs in a transaction that is rolled back,
 * so the database stays pristine for the next task.
 *
 * Choices (see evals/tau-retail/README.md):
 * - The agent runs with the CUSTOMER persona, bound to the task's user_id up front: in our
 *   channels the binding comes from a verified sender, which the simulation has no equivalent of.
 *   The agent still confirms the account with find_customer, as its prompt says.
 * - Every approval the agent opens is approved at once by an eval approver (the customer already
 *   confirmed the change in the chat, as the tau policy asks); the agent's follow-up after the
 *   decision is sent to the customer together with the turn's reply.
 */
import { createAgentService } from '../../src/agent/agent-service.js';
import type { ModelProvider, ModelUsage } from '../../src/agent/providers/model-provider.js';
import { zeroUsage } from '../../src/agent/providers/model-provider.js';
import type { Config } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { missingOutputs } from './missing-outputs.js';
import { auditHighWater, endStateProblems, type Pristine } from './replay-task.js';
import { SimulatedUser, wantsToStop } from './simulated-user.js';
import type { V1Case } from './tau-dataset.js';

export const TAU_APPROVER: Actor = { kind: 'person', id: 'U_TAU_APPROVER' };
export const MAX_AGENT_STEPS = 30;

export type EpisodeEnd = 'user_stop' | 'handoff' | 'max_steps';

export interface EpisodeResult {
  label: string;
  passed: boolean;
  endedBy: EpisodeEnd;
  /** Tool calls plus messages of the agent, the reference's step count. */
  agentSteps: number;
  /** End-state differences from the reference replay (empty when the state matches). */
  stateProblems: string[];
  /** Expected outputs that none of the agent's messages contained. */
  missingOutputs: string[];
  transcript: { from: 'customer' | 'agent'; text: string }[];
  agentCostUsd: number;
  agentUsage: ModelUsage;
  userUsage: ModelUsage;
}

export interface EpisodeDeps {
  /** A database holding the pristine tau-retail v1 import; the episode leaves it unchanged. */
  db: Db;
  /** Must list TAU_APPROVER.id among APPROVERS. */
  config: Config;
  agentProvider: ModelProvider;
  userProvider: ModelProvider;
  pristine: Pristine;
  maxSteps?: number;
}

class Rollback extends Error {}

export async function runEpisode(deps: EpisodeDeps, task: V1Case): Promise<EpisodeResult> {
  const maxSteps = deps.maxSteps ?? MAX_AGENT_STEPS;
  let result: EpisodeResult | undefined;
  try {
    await deps.db.transaction(async (tx) => {
      const auditStart = await auditHighWater(tx);
      const agent = createAgentService({ db: tx, config: deps.config, provider: deps.agentProvider });
      const user = new SimulatedUser(deps.userProvider, task.instruction);
      const transcript: EpisodeResult['transcript'] = [];
      const agentMessages: string[] = [];
      const agentUsage = zeroUsage();
      let agentCostUsd = 0;
      let agentSteps = 0;
      let endedBy: EpisodeEnd | undefined;
      const turn = {
        channel: 'api' as const,
        threadKey: `tau-episode:${task.label}`,
        requester: { kind: 'person' as const, id: task.userId },
        verification: { verified: true, summary: 'tau-retail simulated customer (treated as verified)' },
        persona: 'customer' as const,
        customerId: task.userId,
      };

      let said = await user.start();
      transcript.push({ from: 'customer', text: said });
      while (!endedBy) {
        if (wantsToStop(said)) {
          endedBy = 'user_stop';
          break;
        }
        const reply = await agent.runTurn({ ...turn, text: said });
        agentSteps += reply.toolCalls.length + 1;
        agentCostUsd += reply.usage.costUsd;
        for (const k of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) agentUsage[k] += reply.usage[k];
        const parts = [reply.reply];
        let handedOff = reply.handedOff;
        // A follow-up may itself open another approval; the guard only stops a runaway loop.
        for (let guard = 0; guard < 10; guard++) {
          const pending = await agent.approvals.listApprovals({ status: 'pending', threadKey: turn.threadKey });
          if (pending.length === 0) break;
          for (const a of pending) {
            const decided = await agent.decide({ id: a.id, decision: 'approve', decider: TAU_APPROVER, isApprover: true });
            if (decided.followUp) {
              parts.push(decided.followUp.reply);
              agentSteps += 1;
            }
          }
        }
        handedOff ||= await conversationHandedOff(tx, reply.conversationId);
        const message = parts.filter((p) => p.trim()).join('\n\n');
        agentMessages.push(...parts);
        transcript.push({ from: 'agent', text: message });
        if (handedOff) endedBy = 'handoff';
        else if (agentSteps >= maxSteps) endedBy = 'max_steps';
        else {
          said = await user.reply(message);
          transcript.push({ from: 'customer', text: said });
        }
      }

      const stateProblems = await endStateProblems(tx, task, deps.pristine, auditStart);
      const missing = missingOutputs(task.outputs, agentMessages);
      result = {
        label: task.label,
        passed: stateProblems.length === 0 && missing.length === 0,
        endedBy: endedBy!,
        agentSteps,
        stateProblems,
        missingOutputs: missing,
        transcript,
        agentCostUsd,
        agentUsage,
        userUsage: user.usage,
      };
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result!;
}

/** Handing off also happens in an approval follow-up, which reports no flag of its own. */
async function conversationHandedOff(db: Db, conversationId: number): Promise<boolean> {
  const { rows } = await db.query<{ handed_off: boolean }>(
    'SELECT handed_off_at IS NOT NULL AS handed_off FROM agent_conversations WHERE id = $1',
    [conversationId],
  );
  return rows[0]?.handed_off ?? false;
}
