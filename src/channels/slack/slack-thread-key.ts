/** Where a Slack conversation lives: a channel and the ts of the thread's first message. */
export interface SlackThread {
  channel: string;
  threadTs: string;
}

/** The conversation key for a thread: `channel:thread_ts`, the form the agent and approvals store. */
export function slackThreadKey(thread: SlackThread): string {
  return `${thread.channel}:${thread.threadTs}`;
}

/** The thread a key names, or null when the key was not made by `slackThreadKey`. */
export function parseSlackThreadKey(key: string): SlackThread | null {
  const m = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(key);
  return m ? { channel: m[1]!, threadTs: m[2]! } : null;
}
