import type { Db } from '../../db/db.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUES } from '../../jobs/queue-names.js';
import { claimInboundMessage } from './slack-inbound-claims.js';
import type { SlackJob } from './slack-job.js';
import { followSlackThread } from './slack-thread-registry.js';

export interface IncomingSlackMessage {
  channel: string;
  ts: string;
  /** The thread the reply belongs in: the message's thread_ts, or its own ts for a new thread. */
  threadTs: string;
  user: string;
  text: string;
  eventId?: string;
}

/**
 * Turns an acknowledged Slack message into at most one agent-turn job. The claim on
 * (channel, ts) is what makes Slack's retries and duplicate deliveries start nothing.
 */
export async function acceptSlackMessage(db: Db, queue: JobQueue, message: IncomingSlackMessage): Promise<boolean> {
  const claimed = await claimInboundMessage(db, { channel: message.channel, ts: message.ts, eventId: message.eventId, userId: message.user });
  if (!claimed) return false;
  await followSlackThread(db, { channel: message.channel, threadTs: message.threadTs }, message.user);
  const job: SlackJob = {
    kind: 'turn',
    channel: message.channel,
    threadTs: message.threadTs,
    ts: message.ts,
    user: message.user,
    text: message.text,
  };
  // One attempt: a turn that failed half-way may already have run a tool; a retry would repeat it.
  await queue.enqueue(QUEUES.slackTurn, job, { jobId: `turn:${message.channel}:${message.ts}`, attempts: 1 });
  return true;
}

/** Removes the bot's own mention so the agent reads what the person asked. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replaceAll(`<@${botUserId}>`, '') : text.replace(/^<@[A-Z0-9]+>/, '');
  return withoutBot.replace(/\s+/g, ' ').trim();
}
