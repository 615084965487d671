import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { isDmChannelId, slackEventRequester } from '../../slack-event-requester.js';
import { acceptSlackMessage, stripBotMention } from '../../slack-intake.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** `@orderops …` in a channel: a turn whose reply goes in that message's thread. */
export function appMention(deps: SlackListenerDeps) {
  return async ({ event, body, context, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>) => {
    if (!event.user) return;
    await acceptSlackMessage(
      { db: deps.db, queue: deps.queue, access: deps.access, client },
      {
        channel: event.channel,
        ts: event.ts,
        threadTs: event.thread_ts ?? event.ts,
        user: event.user,
        text: stripBotMention(event.text, context.botUserId),
        eventId: body.event_id,
        requester: slackEventRequester({ ...event, user: event.user }, body, isDmChannelId(event.channel)),
      },
    );
  };
}
