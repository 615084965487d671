import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { slackAccessRefusalText } from '../../slack-access-refusal-text.js';
import { handleApprovalPress } from '../../slack-approval-press.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** Approve / Reject on an approval message. */
export function approvalDecision(deps: SlackListenerDeps, decision: 'approve' | 'reject') {
  return async ({ ack, action, body, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!channel || !action.value) return;
    // The approver list decides; a press from another organisation never counts, whatever the id.
    const team = { ...(body.user.team_id ? { team: body.user.team_id } : {}), ...(body.team?.enterprise_id ? { enterprise: body.team.enterprise_id } : {}) };
    if (!deps.access.fromWorkspace(team)) {
      await client.chat.postEphemeral({ channel, user: body.user.id, text: slackAccessRefusalText('not_ops') });
      return;
    }
    await handleApprovalPress(
      { client, queue: deps.queue, approvals: deps.approvals, approverCheck: deps.approverCheck },
      { approvalId: action.value, decision, user: body.user.id, channel, actionTs: action.action_ts },
    );
  };
}
