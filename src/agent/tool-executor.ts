import type { Actor } from '../domain/actor.js';
import { isDomainError } from '../domain/domain-error.js';
import { HANDOFF_TOOL } from '../tools/handoff-to-human.js';
import type { AgentTool, ToolContext } from '../tools/tool.js';
import type { Toolset } from '../tools/toolset.js';
import { approvalReason } from './approval-policy.js';
import type { ApprovalService } from './approval-service.js';
import type { ApprovalView } from './approval-view.js';
import type { RequesterVerification } from './requester-verification.js';
import { listWaitingApprovals } from './waiting-approvals.js';

export interface ToolCallOutcome {
  content: string;
  isError: boolean;
  approval?: ApprovalView;
  handedOff?: boolean;
}

export interface ExecuteDeps {
  toolset: Toolset;
  ctx: ToolContext;
  approvals: ApprovalService;
  requester: Actor;
  verification: RequesterVerification;
  origin: { channel: string; threadKey: string };
}

const WAITING_NOTE = {
  pending: 'Nothing has changed yet. A staff approver must approve this request; the result will be reported in this thread. Do not call the tool again.',
  awaiting_confirmation:
    'Nothing has changed yet. The sender of this message could not be verified, so a confirmation code has been emailed to the address on the account; once the code is sent back in a reply to that email, the request goes to a staff approver. Tell the person so. Do not call the tool again.',
} as const;

const MAX_RESULT_CHARS = 12_000;

function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… (truncated)` : text;
}

/**
 * Runs one tool call the model asked for. Unknown tools, bad arguments and expected domain
 * failures come back as error results the model can read; a call that needs approval is not run
 * but becomes a pending approval.
 */
export async function executeToolCall(
  deps: ExecuteDeps,
  call: { id: string; name: string; input: Record<string, unknown> },
): Promise<ToolCallOutcome> {
  const tool = deps.toolset.get(call.name);
  if (!tool) {
    return { content: `unknown tool "${call.name}"; available tools: ${deps.toolset.tools.map((t) => t.name).join(', ')}`, isError: true };
  }
  const parsed = tool.input.safeParse(call.input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return { content: `invalid arguments for ${tool.name}: ${issues}`, isError: true };
  }
  const args = parsed.data as Record<string, unknown>;
  try {
    const decided = await runOrRecordApproval(deps, tool, args, call.id);
    if (decided.kind === 'ran') {
      return { content: compact(decided.result), isError: false, ...(tool.name === HANDOFF_TOOL ? { handedOff: true } : {}) };
    }
    const { approval, created } = decided;
    if (created) await deps.approvals.announce(approval);
    return {
      content: compact({
        status: 'pending_approval',
        approval_id: approval.id,
        approval_status: approval.status,
        what: approval.preview.summary,
        why: approval.reason,
        money: approval.preview.money,
        expires_at: approval.expiresAt,
        note: approval.status === 'awaiting_confirmation' ? WAITING_NOTE.awaiting_confirmation : WAITING_NOTE.pending,
      }),
      isError: false,
      approval,
    };
  } catch (err) {
    if (isDomainError(err)) return { content: `Error: ${err.message}`, isError: true };
    throw err;
  }
}

export type Decided = { kind: 'ran'; result: unknown } | { kind: 'approval'; approval: ApprovalView; created: boolean };

/**
 * Runs a parsed call now, or records the approval it needs; domain failures are thrown. The one
 * gate every caller goes through, the model's tool calls and a person's console actions alike.
 */
export async function runOrRecordApproval(
  deps: Omit<ExecuteDeps, 'toolset'>,
  tool: AgentTool,
  args: Record<string, unknown>,
  toolUseId: string,
): Promise<Decided> {
  // With a policy, deciding and then running (or recording the approval) is one transaction
  // under the policy's lock: two calls at the same instant on one total cannot both pass.
  const policy = tool.policy;
  return policy
    ? deps.ctx.db.transaction(async (tx) => {
        await policy.lock(args, tx);
        return decideAndRun(deps, tool, args, toolUseId, { ...deps.ctx, db: tx });
      })
    : decideAndRun(deps, tool, args, toolUseId, deps.ctx);
}

async function decideAndRun(deps: Omit<ExecuteDeps, 'toolset'>, tool: AgentTool, args: Record<string, unknown>, toolUseId: string, ctx: ToolContext): Promise<Decided> {
  const reason = await approvalReason(tool, args, ctx, (filter) => listWaitingApprovals(ctx.db, filter));
  if (!reason) return { kind: 'ran', result: await tool.run(args, ctx) };
  const recorded = await deps.approvals.record({
    tool,
    args,
    ctx,
    reason,
    requester: deps.requester,
    verification: deps.verification,
    origin: deps.origin,
    ...(ctx.conversationId !== undefined ? { conversationId: ctx.conversationId } : {}),
    toolUseId,
  });
  return { kind: 'approval', ...recorded };
}
