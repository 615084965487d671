import type { WebClient } from '@slack/web-api';
import { createSlackMembership } from './slack-membership.js';
import { createSlackUserGroupMembers, type SlackUserGroupMembers } from './slack-user-group-members.js';

export type ApproverVerdict = { allowed: true } | { allowed: false; reason: string };

export interface SlackApproverCheckOptions {
  client: WebClient;
  /** SLACK_APPROVERS: user ids (U…, W…) and user-group ids (S…). */
  approvers: string[];
  /** Shared user-group lookups; a private cache of `groupCacheMs` is made when absent. */
  groupMembers?: SlackUserGroupMembers;
  /** How long a user group's member list is trusted before it is fetched again. */
  groupCacheMs?: number;
}

/**
 * Decides whether a Slack user may approve or reject. A user is allowed when listed directly or
 * a member of a listed user group; for requests that came from customers the presser must also
 * be a person (not a bot, not deactivated), checked with users.info at press time.
 */
export function createSlackApproverCheck(options: SlackApproverCheckOptions) {
  const groupMembers = options.groupMembers ?? createSlackUserGroupMembers({ client: options.client, ...(options.groupCacheMs !== undefined ? { cacheMs: options.groupCacheMs } : {}) });
  const approvers = createSlackMembership(options.approvers, groupMembers);

  return {
    async check(userId: string, opts: { requirePerson: boolean }): Promise<ApproverVerdict> {
      if (approvers.isEmpty) {
        return { allowed: false, reason: 'No approvers are configured for orderops (SLACK_APPROVERS is empty), so nobody can decide here.' };
      }
      if (!(await approvers.has(userId))) {
        return { allowed: false, reason: 'You are not an orderops approver, so this button is not yours to press. Ask someone listed in SLACK_APPROVERS.' };
      }
      if (opts.requirePerson) {
        const res = await options.client.users.info({ user: userId });
        const user = res.user;
        if (!user || user.is_bot || user.deleted || user.id === 'USLACKBOT') {
          return { allowed: false, reason: 'Requests from customers need a person to decide; this account is a bot or deactivated.' };
        }
      }
      return { allowed: true };
    },
  };
}

export type SlackApproverCheck = ReturnType<typeof createSlackApproverCheck>;
