import { randomBytes } from 'node:crypto';
import { computeSlackSignature } from '../../src/channels/slack/verify-slack-signature.js';

export interface SignedPostOptions {
  signingSecret: string;
  contentType?: 'application/json' | 'application/x-www-form-urlencoded';
  /** Seconds since the epoch; now when omitted. */
  timestamp?: number;
  /** Replaces the computed signature (null: send no signature header). */
  signature?: string | null;
  retryNum?: number;
}

export interface SlackHttpAnswer {
  status: number;
  body: string;
  ms: number;
}

/** POSTs a body to the app the way Slack does: raw body signed with the v0 scheme. */
export async function postSignedToApp(url: string, rawBody: string, options: SignedPostOptions): Promise<SlackHttpAnswer> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  const signature = options.signature === undefined ? computeSlackSignature(options.signingSecret, timestamp, rawBody) : options.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

let tsCounter = 0;
/** A Slack message ts (seconds.micro), unique within a run. */
export function slackTs(): string {
  tsCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(100000 + tsCounter).padStart(6, '0')}`;
}

export const TEAM_ID = 'T0RDEROPS';
export const API_APP_ID = 'A0RDEROPS';

/** The Events API envelope around one event; `envelope` overrides its fields (is_ext_shared_channel, say). */
export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
  envelope: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: API_APP_ID,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: 'UBOT0RDER', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    ...envelope,
  });
}

export function appMentionEvent(input: { user: string; channel: string; text: string; ts?: string; threadTs?: string; botUserId?: string }) {
  const ts = input.ts ?? slackTs();
  return {
    type: 'app_mention',
    user: input.user,
    text: `<@${input.botUserId ?? 'UBOT0RDER'}> ${input.text}`,
    ts,
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    channel: input.channel,
    event_ts: ts,
    team: TEAM_ID,
  };
}

/** The interactivity request for a button press: a form whose `payload` field holds the JSON. */
export function blockActionsForm(input: {
  user: string;
  channel: string;
  messageTs: string;
  threadTs?: string;
  actionId: string;
  blockId?: string;
  value: string;
  actionTs?: string;
}): string {
  const payload = {
    type: 'block_actions',
    user: { id: input.user, username: input.user.toLowerCase(), name: input.user.toLowerCase(), team_id: TEAM_ID },
    api_app_id: API_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: false, thread_ts: input.threadTs },
    trigger_id: `${Date.now()}.trigger`,
    team: { id: TEAM_ID, domain: 'orderops' },
    channel: { id: input.channel, name: 'ops' },
    message: { type: 'message', ts: input.messageTs, thread_ts: input.threadTs, user: 'UBOT0RDER', text: 'Approval needed' },
    response_url: 'https://hooks.slack.com/actions/T0RDEROPS/1/abc',
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'b',
        text: { type: 'plain_text', text: 'button' },
        value: input.value,
        action_ts: input.actionTs ?? `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A slash command request: a plain form. */
export function slashCommandForm(input: { user: string; channel: string; text: string; command?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'orderops',
    channel_id: input.channel,
    channel_name: 'ops',
    user_id: input.user,
    user_name: input.user.toLowerCase(),
    command: input.command ?? '/orderops',
    text: input.text,
    api_app_id: API_APP_ID,
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0RDEROPS/1/abc',
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
}
