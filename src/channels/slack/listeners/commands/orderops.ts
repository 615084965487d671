import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerSlashCommand } from '../../answer-slash-command.js';
import { slackAccessRefusalText } from '../../slack-access-refusal-text.js';
import { isDmChannelId } from '../../slack-event-requester.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** `/orderops …`: answered in the acknowledgement itself, only to the person who asked. */
export function orderopsCommand(deps: SlackListenerDeps) {
  return async ({ ack, command }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    // The command reads the ledger directly, so it is held to the same rule as the agent.
    const refusal = await deps.access.refusal({
      user: command.user_id,
      team: command.team_id,
      ...(command.enterprise_id ? { enterprise: command.enterprise_id } : {}),
      where: isDmChannelId(command.channel_id) ? { kind: 'dm' } : { kind: 'channel', id: command.channel_id },
    });
    if (refusal) {
      await ack({ response_type: 'ephemeral', text: slackAccessRefusalText(refusal) });
      return;
    }
    let answer;
    try {
      answer = await answerSlashCommand({ db: deps.db, approvals: deps.approvals }, command.text ?? '');
    } catch (err) {
      deps.log(`/orderops ${command.text} failed: ${(err as Error).message}`);
      answer = { text: `Sorry, that failed: ${(err as Error).message}` };
    }
    await ack({ response_type: 'ephemeral', ...answer });
  };
}
