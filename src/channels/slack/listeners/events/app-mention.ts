import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { acceptSlackMessage, stripBotMention } from '../../slack-intake.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** `@orderops …` in a channel: a turn whose reply goes in that message's thread. */
export function appMention(deps: SlackListenerDeps) {
  return async ({ event, body, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>) => {
    if (!event.user) return;
    await acceptSlackMessage(deps.db, deps.queue, {
      channel: event.channel,
      ts: event.ts,
      threadTs: event.thread_ts ?? event.ts,
      user: event.user,
      text: stripBotMention(event.text, context.botUserId),
      eventId: body.event_id,
    });
  };
}
