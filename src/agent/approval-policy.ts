import type { AgentTool, ToolContext, WaitingApprovals } from '../tools/tool.js';

/**
 * Why this call must wait for a person, or null when it may run now: its tier is `approval`,
 * a customer conversation asks to change something, or the tool's own policy (a running total
 * over its limit) says so. For a tool with a policy, call it with the policy's lock held.
 */
export async function approvalReason(
  tool: AgentTool,
  args: Record<string, unknown>,
  ctx: ToolContext,
  waiting: WaitingApprovals,
): Promise<string | null> {
  if (tool.tier === 'approval') return `${tool.name} always needs approval`;
  if (tool.tier === 'write' && ctx.persona === 'customer') return 'changes asked for in a customer conversation need approval';
  if (tool.tier === 'write' && tool.policy) return tool.policy.check(args, ctx, waiting);
  return null;
}
