import type { WebClient } from '@slack/web-api';

export type ApproverVerdict = { allowed: true } | { allowed: false; reason: string };

export interface SlackApproverCheckOptions {
  client: WebClient;
  /** SLACK_APPROVERS: user ids (U…, W…) and user-group ids (S…). */
  approvers: string[];
  /** How long a user group's member list is trusted before it is fetched again. */
  groupCacheMs?: number;
}

/**
 * Decides whether a Slack user may approve or reject. A user is allowed when listed directly or
 * a member of a listed user group; for requests that came from customers the presser must also
 * be a person (not a bot, not deactivated), checked with users.info at press time.
 */
export function createSlackApproverCheck(options: SlackApproverCheckOptions) {
  const userIds = new Set(options.approvers.filter((a) => !a.startsWith('S')));
  const groupIds = options.approvers.filter((a) => a.startsWith('S'));
  const cacheMs = options.groupCacheMs ?? 60_000;
  const groupCache = new Map<string, { members: Set<string>; at: number }>();

  async function groupMembers(groupId: string): Promise<Set<string>> {
    const cached = groupCache.get(groupId);
    if (cached && Date.now() - cached.at < cacheMs) return cached.members;
    const res = await options.client.usergroups.users.list({ usergroup: groupId });
    const members = new Set(res.users ?? []);
    groupCache.set(groupId, { members, at: Date.now() });
    return members;
  }

  async function isListed(userId: string): Promise<boolean> {
    if (userIds.has(userId)) return true;
    for (const g of groupIds) {
      if ((await groupMembers(g)).has(userId)) return true;
    }
    return false;
  }

  return {
    async check(userId: string, opts: { requirePerson: boolean }): Promise<ApproverVerdict> {
      if (options.approvers.length === 0) {
        return { allowed: false, reason: 'No approvers are configured for orderops (SLACK_APPROVERS is empty), so nobody can decide here.' };
      }
      if (!(await isListed(userId))) {
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
