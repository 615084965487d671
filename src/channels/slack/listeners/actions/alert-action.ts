import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { QUEUES } from '../../../../jobs/queue-names.js';
import { parseAlertButtonValue } from '../../blocks/alert-message.js';
import { slackAccessRefusalText } from '../../slack-access-refusal-text.js';
import { isDmChannelId } from '../../slack-event-requester.js';
import type { SlackJob } from '../../slack-job.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/**
 * A suggested-action button on an alert: queues the opening of an approval in the alert's
 * thread. Opening approvals is ops work, so only the ops team may press it.
 */
export function alertAction(deps: SlackListenerDeps) {
  return async ({ ack, action, body, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack();
    const target = action.value ? parseAlertButtonValue(action.value) : null;
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!channel) return;
    const refusal = await deps.access.refusal({
      user: body.user.id,
      ...(body.user.team_id ? { team: body.user.team_id } : {}),
      ...(body.team?.enterprise_id ? { enterprise: body.team.enterprise_id } : {}),
      where: isDmChannelId(channel) ? { kind: 'dm' } : { kind: 'channel', id: channel },
    });
    if (refusal) {
      await client.chat.postEphemeral({ channel, user: body.user.id, text: slackAccessRefusalText(refusal) });
      return;
    }
    if (!target) return;
    const job: SlackJob = { kind: 'alert-action', alertId: target.alertId, index: target.index, user: body.user.id, channel };
    await deps.queue.enqueue(QUEUES.slackTurn, job, {
      jobId: `alert-action:${target.alertId}:${target.index}:${action.action_ts}`,
      attempts: 1,
    });
  };
}
