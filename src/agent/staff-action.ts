import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { DomainError } from '../domain/domain-error.js';
import type { Toolset } from '../tools/toolset.js';
import type { ApprovalService } from './approval-service.js';
import type { ApprovalView } from './approval-view.js';
import { runOrRecordApproval } from './tool-executor.js';

/** A change a signed-in person asks for directly (a console button), without the model. */
export interface StaffActionInput {
  tool: string;
  args: Record<string, unknown>;
  requester: Actor;
  /** Where it was asked, for the approval card and the one-pending-request rule: `console`, the person. */
  origin: { channel: string; threadKey: string };
}

export type StaffActionOutcome =
  | { status: 'done'; result: unknown }
  /** Nothing ran: an approver (never the requester) decides it, as for the same request made in Slack. */
  | { status: 'pending_approval'; approval: ApprovalView; created: boolean };

export interface StaffActionDeps {
  db: Db;
  config: Config;
  approvals: ApprovalService;
  toolset: Toolset;
}

/**
 * Runs a staff tool for a person through the same gate as the agent's calls: a write runs now, a
 * risky one becomes a pending approval announced where approvals are announced. Unknown tools and
 * bad arguments are DomainErrors naming the field.
 */
export async function runStaffAction(deps: StaffActionDeps, input: StaffActionInput): Promise<StaffActionOutcome> {
  const tool = deps.toolset.get(input.tool);
  if (!tool) throw new DomainError('not_found', 'unknown_action', `no action "${input.tool}"`);
  const parsed = tool.input.safeParse(input.args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DomainError('invalid', 'invalid_action', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const ctx = { db: deps.db, config: deps.config, actor: input.requester, persona: 'ops' as const };
  // A signed-in person or a token is known to the server: nothing to confirm by mail.
  const verification = { verified: true, summary: `${input.origin.channel}, signed in as ${input.requester.id}` };
  const decided = await runOrRecordApproval(
    { ctx, approvals: deps.approvals, requester: input.requester, verification, origin: input.origin },
    tool,
    parsed.data as Record<string, unknown>,
    `act_${randomUUID()}`,
  );
  if (decided.kind === 'ran') return { status: 'done', result: decided.result };
  if (decided.created) await deps.approvals.announce(decided.approval);
  return { status: 'pending_approval', approval: decided.approval, created: decided.created };
}
