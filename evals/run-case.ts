import { createAgentService, type TurnResult } from '../src/agent/agent-service.js';
import type { ModelProvider } from '../src/agent/providers/model-provider.js';
import type { Config } from '../src/config/config.js';
import { inboxReader } from '../src/console/inbox-reader.js';
import type { Db } from '../src/db/db.js';
import type { Actor } from '../src/domain/actor.js';
import { isDomainError } from '../src/domain/domain-error.js';
import { AGENT_FIXTURE } from '../test/support/agent-fixture.js';
import type { EvalCase } from './eval-case.js';

export interface CaseRun {
  replies: string[];
  toolCalls: { name: string; isError: boolean; approvalId?: string }[];
  handedOff: boolean;
  approvalsCreated: number;
  decision: 'refused' | 'executed' | 'failed' | 'rejected' | 'expired' | 'pending' | 'awaiting_confirmation' | null;
  dbRows: unknown[][];
}

class Rollback extends Error {
  constructor(readonly run: CaseRun) {
    super('eval case rolled back');
  }
}

export const EVAL_APPROVER: Actor = { kind: 'person', id: 'U_EVAL_APPROVER' };

/**
 * Runs one case inside a transaction that is always rolled back, so every case starts from the
 * same store. Returns what happened; grading is separate.
 */
export async function runCase(db: Db, config: Config, c: EvalCase, provider: ModelProvider): Promise<CaseRun> {
  try {
    await db.transaction(async (tx) => {
      const agent = createAgentService({ db: tx, config, provider, inbox: inboxReader(tx) });
      const email = c.customer ? AGENT_FIXTURE.users[c.customer]?.email : undefined;
      const requester: Actor = c.persona === 'customer' ? { kind: 'person', id: email ?? 'unknown@example.com' } : { kind: 'person', id: 'U_EVAL_OPS' };
      const turns: TurnResult[] = [];
      const replies: string[] = [];
      for (const text of c.messages) {
        const turn = await agent.runTurn({
          channel: c.persona === 'customer' ? 'email' : 'slack',
          threadKey: `eval-${c.id}`,
          text,
          requester,
          // The direct runner stands for a channel that verified the person (a DMARC-passing mail, a signed Slack request).
          verification: { verified: true, summary: c.persona === 'customer' ? 'eval case customer (treated as verified)' : 'eval case operator' },
          persona: c.persona,
          ...(c.customer ? { customerId: c.customer } : {}),
        });
        turns.push(turn);
        replies.push(turn.reply);
      }
      const approvals = turns.flatMap((t) => t.approvals);
      let decision: CaseRun['decision'] = null;
      if (c.decide) {
        const target = approvals[0];
        if (!target) decision = null;
        else {
          const decider: Actor =
            c.decide.as === 'approver' ? EVAL_APPROVER : c.decide.as === 'customer' ? { kind: 'person', id: c.customer ?? 'customer' } : requester;
          try {
            const out = await agent.decide({ id: target.id, decision: c.decide.decision, decider });
            decision = out.status;
            if (out.followUp) replies.push(out.followUp.reply);
          } catch (err) {
            if (!isDomainError(err)) throw err;
            decision = 'refused';
          }
        }
      }
      const dbRows: unknown[][] = [];
      for (const check of c.expect.db) dbRows.push((await tx.query(check.sql)).rows);
      throw new Rollback({
        replies,
        toolCalls: turns.flatMap((t) => t.toolCalls),
        handedOff: turns.some((t) => t.handedOff),
        approvalsCreated: approvals.length,
        decision,
        dbRows,
      });
    });
  } catch (err) {
    if (err instanceof Rollback) return err.run;
    throw err;
  }
  throw new Error('eval case did not roll back');
}
