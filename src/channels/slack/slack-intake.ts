import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/db.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUES } from '../../jobs/queue-names.js';
import { slackAccessRefusalText } from './slack-access-refusal-text.js';
import { claimInboundMessage } from './slack-inbound-claims.js';
import type { SlackJob } from './slack-job.js';
import type { SlackOpsAccess, SlackRequester } from './slack-ops-access.js';
import { followSlackThread } from './slack-thread-registry.js';

export interface IncomingSlackMessage {
  channel: string;
  ts: string;
  /** The thread the reply belongs in: the message's thread_ts, or its own ts for a new thread. */
  threadTs: string;
  user: string;
  text: string;
  eventId?: string;
  /** The sender's team and where the message was posted, for the ops check. */
  requester: SlackRequester;
}

export interface SlackIntakeDeps {
  db: Db;
  queue: JobQueue;
  access: SlackOpsAccess;
  client: WebClient;
}

/**
 * Turns an acknowledged Slack message into at most one agent-turn job. The claim on
 * (channel, ts) is what makes Slack's retries and duplicate deliveries start nothing, a refusal
 * included. Someone who may not talk to the ops agent (or not in this channel) is told so, only
 * to them, and nothing else happens: no turn, no thread followed.
 */
export async function acceptSlackMessage(deps: SlackIntakeDeps, message: IncomingSlackMessage): Promise<'queued' | 'duplicate' | 'refused'> {
  const claimed = await claimInboundMessage(deps.db, { channel: message.channel, ts: message.ts, eventId: message.eventId, userId: message.user });
  if (!claimed) return 'duplicate';
  const refusal = await deps.access.refusal(message.requester);
  if (refusal) {
    await deps.client.chat.postEphemeral({
      channel: message.channel,
      user: message.user,
      text: slackAccessRefusalText(refusal),
      ...(message.threadTs !== message.ts ? { thread_ts: message.threadTs } : {}),
    });
    return 'refused';
  }
  await followSlackThread(deps.db, { channel: message.channel, threadTs: message.threadTs }, message.user);
  const job: SlackJob = {
    kind: 'turn',
    channel: message.channel,
    threadTs: message.threadTs,
    ts: message.ts,
    user: message.user,
    text: message.text,
  };
  // One attempt: a turn that failed half-way may already have run a tool; a retry would repeat it.
  await deps.queue.enqueue(QUEUES.slackTurn, job, { jobId: `turn:${message.channel}:${message.ts}`, attempts: 1 });
  return 'queued';
}

/** Removes the bot's own mention so the agent reads what the person asked. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replaceAll(`<@${botUserId}>`, '') : text.replace(/^<@[A-Z0-9]+>/, '');
  return withoutBot.replace(/\s+/g, ' ').trim();
}
