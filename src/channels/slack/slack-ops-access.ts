import type { Config } from '../../config/config.js';
import type { SlackMembership } from './slack-membership.js';

/** Who asked and where the answer would be shown, as the Slack payload tells it. */
export interface SlackRequester {
  user: string;
  /** The user's own team (an event's user_team, a press's user.team_id); absent when the payload does not say. */
  team?: string;
  enterprise?: string;
  where: { kind: 'dm' } | { kind: 'home' } | { kind: 'channel'; id: string; sharedWithOtherOrg?: boolean };
}

export type SlackAccessRefusal = 'not_ops' | 'channel' | 'unchecked';

/** The workspace orderops is installed in, as auth.test names it. */
export interface SlackWorkspace {
  teamId: string;
  enterpriseId?: string;
}

/**
 * Decides who may talk to the ops agent, and where. Everything a Slack surface offers (the agent,
 * `/orderops`, App Home, alert buttons) hands out order and customer data or opens approvals, so
 * it is for the ops team only; the approvers still decide approvals on their own list.
 */
export interface SlackOpsAccess {
  /** Null when the requester may use the ops agent there; otherwise why not. Never throws. */
  refusal(requester: SlackRequester): Promise<SlackAccessRefusal | null>;
  /** False when the payload says the user belongs to another organisation (Slack Connect). */
  fromWorkspace(requester: Pick<SlackRequester, 'team' | 'enterprise'>): boolean;
}

export interface SlackOpsAccessOptions {
  workspace: SlackWorkspace;
  ops: SlackMembership;
  /** Empty: any channel not shared with another organisation. */
  channels: readonly string[];
  log?: (msg: string) => void;
}

export function createSlackOpsAccess(options: SlackOpsAccessOptions): SlackOpsAccess {
  const { workspace, ops } = options;
  const channels = new Set(options.channels);

  function fromWorkspace(r: Pick<SlackRequester, 'team' | 'enterprise'>): boolean {
    if (r.enterprise && r.enterprise !== workspace.enterpriseId) return false;
    if (r.team && r.team !== workspace.teamId) return Boolean(workspace.enterpriseId && r.enterprise === workspace.enterpriseId);
    return true;
  }

  function channelAllowed(where: SlackRequester['where']): boolean {
    if (where.kind !== 'channel') return true;
    if (channels.has(where.id)) return true;
    // A channel shared with another organisation shows replies to people outside it: only an
    // explicitly listed one is answered in.
    if (where.sharedWithOtherOrg) return false;
    return channels.size === 0;
  }

  return {
    fromWorkspace,
    async refusal(r) {
      if (!fromWorkspace(r)) return 'not_ops';
      try {
        if (!(await ops.has(r.user))) return 'not_ops';
      } catch (err) {
        options.log?.(`Slack: could not check whether ${r.user} is on the ops team: ${(err as Error).message}`);
        return 'unchecked';
      }
      return channelAllowed(r.where) ? null : 'channel';
    },
  };
}

/** The ops team's ids: SLACK_OPS_USERS, or when that is empty the approvers and nobody else. */
export function slackOpsTeamIds(config: Pick<Config, 'SLACK_OPS_USERS' | 'SLACK_APPROVERS'>): string[] {
  return config.SLACK_OPS_USERS.length > 0 ? config.SLACK_OPS_USERS : config.SLACK_APPROVERS;
}

/** The channels the agent answers in besides DMs; empty means any channel not shared with another organisation. */
export function slackOpsChannels(config: Pick<Config, 'SLACK_OPS_CHANNELS' | 'SLACK_ALERTS_CHANNEL'>): string[] {
  if (config.SLACK_OPS_CHANNELS.length === 0) return [];
  // Alert buttons live in the alerts channel, so it is an ops channel whenever the list is set.
  return [...new Set([...config.SLACK_OPS_CHANNELS, ...(config.SLACK_ALERTS_CHANNEL ? [config.SLACK_ALERTS_CHANNEL] : [])])];
}

/** One start-up line saying who counts as ops and where the agent answers. */
export function describeSlackOpsAccess(config: Pick<Config, 'SLACK_OPS_USERS' | 'SLACK_APPROVERS' | 'SLACK_OPS_CHANNELS' | 'SLACK_ALERTS_CHANNEL'>): string {
  const ids = slackOpsTeamIds(config);
  const who =
    config.SLACK_OPS_USERS.length > 0
      ? `${ids.join(', ')} (SLACK_OPS_USERS)`
      : ids.length > 0
        ? `${ids.join(', ')} (SLACK_OPS_USERS is empty, so the SLACK_APPROVERS and nobody else)`
        : 'nobody (SLACK_OPS_USERS and SLACK_APPROVERS are empty), so the agent answers no one in Slack';
  const channels = slackOpsChannels(config);
  const where = channels.length > 0 ? `in ${channels.join(', ')} and DMs` : 'in DMs and any channel not shared with another organisation';
  return `Slack ops team: ${who}; answered ${where}.`;
}
