import type { SlackRequester } from './slack-ops-access.js';

/** The fields of a message or app_mention event (and its envelope) that say who wrote it and where. */
export interface SlackEventOrigin {
  user: string;
  channel: string;
  /** In a Slack Connect channel: the team of the person who wrote it. */
  user_team?: string;
  user_profile?: { team?: string };
  /** The writer's team on plain messages. */
  team?: string;
}

/**
 * Who wrote an event and where, for the ops check. Slack Connect events carry the writer's own
 * team in `user_team` (the envelope's team_id stays ours), and the envelope's
 * `is_ext_shared_channel` says the channel is shared with another organisation.
 */
export function slackEventRequester(event: SlackEventOrigin, envelope: { is_ext_shared_channel?: boolean }, isDm: boolean): SlackRequester {
  const team = event.user_team ?? event.user_profile?.team ?? event.team;
  return {
    user: event.user,
    ...(team ? { team } : {}),
    where: isDm ? { kind: 'dm' } : { kind: 'channel', id: event.channel, sharedWithOtherOrg: envelope.is_ext_shared_channel === true },
  };
}

/** Direct-message channel ids start with D; slash commands and button presses carry only the id. */
export const isDmChannelId = (channelId: string): boolean => channelId.startsWith('D');
