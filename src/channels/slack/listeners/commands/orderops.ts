import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerSlashCommand } from '../../answer-slash-command.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** `/orderops …`: answered in the acknowledgement itself, only to the person who asked. */
export function orderopsCommand(deps: SlackListenerDeps) {
  return async ({ ack, command }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
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
