import type { AgentTool, ToolContext } from '../tools/tool.js';

/**
 * Why this call must wait for a person, or null when it may run now: its tier is `approval`,
 * a customer conversation asks to change something, or the tool's own policy (a refund over
 * the configured amount) says so.
 */
export function approvalReason(tool: AgentTool, args: Record<string, unknown>, ctx: ToolContext): string | null {
  if (tool.tier === 'approval') return `${tool.name} always needs approval`;
  if (tool.tier === 'write' && ctx.persona === 'customer') return 'changes asked for in a customer conversation need approval';
  if (tool.tier === 'write') return tool.policy?.(args, ctx) ?? null;
  return null;
}
