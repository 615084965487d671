import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { slackEventRequester } from '../../slack-event-requester.js';
import { acceptSlackMessage, stripBotMention } from '../../slack-intake.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';
import { isFollowedSlackThread } from '../../slack-thread-registry.js';

/**
 * Plain messages: every DM to the bot, and replies in a channel thread the bot takes part in.
 * Messages that mention the bot are left to the app_mention listener; edits, joins and other
 * bots' messages (they carry a subtype or bot_id) start nothing.
 */
export function directOrThreadMessage(deps: SlackListenerDeps) {
  return async ({ message, body, context, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    if (message.subtype !== undefined || 'bot_id' in message && message.bot_id) return;
    const { channel, ts, user, text = '' } = message;
    const threadTs = 'thread_ts' in message ? message.thread_ts : undefined;
    if (!user) return;
    const isDm = message.channel_type === 'im';
    if (!isDm) {
      if (!threadTs || threadTs === ts) return;
      if (context.botUserId && text.includes(`<@${context.botUserId}>`)) return;
      if (!(await isFollowedSlackThread(deps.db, { channel, threadTs }))) return;
    }
    await acceptSlackMessage(
      { db: deps.db, queue: deps.queue, access: deps.access, client },
      {
        channel,
        ts,
        threadTs: threadTs ?? ts,
        user,
        text: stripBotMention(text, context.botUserId),
        eventId: body.event_id,
        requester: slackEventRequester({ ...message, user, channel }, body, isDm),
      },
    );
  };
}
