import type { ApprovalService } from '../../agent/approval-service.js';
import { agentActorFor } from '../../agent/approval-service.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import { DomainError } from '../../domain/domain-error.js';
import { opsToolset } from '../../tools/ops-toolset.js';
import type { SlackApprovalsPort } from './slack-agent-port.js';
import { slackRequesterVerification } from './slack-requester-verification.js';

/**
 * The approval service as Slack uses it. Alert buttons open approvals through the same
 * `request` the agent's gate uses (same preview, same notifier, same exactly-once decision),
 * with the ops tool the alert names.
 */
export function slackApprovalsAdapter(approvals: ApprovalService, deps: { db: Db; config: Config }): SlackApprovalsPort {
  const tools = opsToolset();
  return {
    listApprovals: (filter) => approvals.listApprovals(filter),
    getApproval: (id) => approvals.getApproval(id),
    async requestApproval(input) {
      const tool = tools.get(input.tool);
      if (!tool) throw new DomainError('invalid', 'unknown_tool', `the alert suggests ${input.tool}, which is not an ops tool`);
      const parsed = tool.input.safeParse(input.args);
      if (!parsed.success) {
        throw new DomainError('invalid', 'invalid_args', `arguments for ${input.tool} are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const { approval } = await approvals.request({
        tool,
        args: parsed.data as Record<string, unknown>,
        ctx: { db: deps.db, config: deps.config, actor: agentActorFor(input.requester), persona: 'ops' },
        reason: input.reason,
        requester: input.requester,
        verification: slackRequesterVerification(input.requester.id),
        origin: input.origin,
      });
      return approval;
    },
  };
}
