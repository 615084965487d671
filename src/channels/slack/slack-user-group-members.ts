import type { WebClient } from '@slack/web-api';

/** The member ids of one Slack user group, fetched with usergroups.users.list. */
export type SlackUserGroupMembers = (groupId: string) => Promise<ReadonlySet<string>>;

/**
 * User-group members, each group's list trusted for `cacheMs` before it is fetched again. One
 * instance serves every list that names groups (ops team, approvers), so a group named in both
 * is fetched once. A failed fetch throws: callers decide to refuse rather than guess.
 */
export function createSlackUserGroupMembers(options: { client: WebClient; cacheMs?: number }): SlackUserGroupMembers {
  const cacheMs = options.cacheMs ?? 60_000;
  const cache = new Map<string, { members: ReadonlySet<string>; at: number }>();
  return async (groupId) => {
    const cached = cache.get(groupId);
    if (cached && Date.now() - cached.at < cacheMs) return cached.members;
    const res = await options.client.usergroups.users.list({ usergroup: groupId });
    const members: ReadonlySet<string> = new Set(res.users ?? []);
    cache.set(groupId, { members, at: Date.now() });
    return members;
  };
}
