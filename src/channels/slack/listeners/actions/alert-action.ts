import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { QUEUES } from '../../../../jobs/queue-names.js';
import { parseAlertButtonValue } from '../../blocks/alert-message.js';
import type { SlackJob } from '../../slack-job.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** A suggested-action button on an alert: queues the opening of an approval in the alert's thread. */
export function alertAction(deps: SlackListenerDeps) {
  return async ({ ack, action, body }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack();
    const target = action.value ? parseAlertButtonValue(action.value) : null;
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!target || !channel) return;
    const job: SlackJob = { kind: 'alert-action', alertId: target.alertId, index: target.index, user: body.user.id, channel };
    await deps.queue.enqueue(QUEUES.slackTurn, job, {
      jobId: `alert-action:${target.alertId}:${target.index}:${action.action_ts}`,
      attempts: 1,
    });
  };
}
