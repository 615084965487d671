import type { SlackUserGroupMembers } from './slack-user-group-members.js';

/** A list of Slack people given as user ids (U…, W…) and user-group ids (S…). */
export interface SlackMembership {
  /** The ids as configured. */
  readonly ids: readonly string[];
  readonly isEmpty: boolean;
  /** True when the user is listed directly or is a member of a listed group; throws when a group cannot be read. */
  has(userId: string): Promise<boolean>;
}

export function createSlackMembership(ids: readonly string[], groupMembers: SlackUserGroupMembers): SlackMembership {
  const users = new Set(ids.filter((id) => !id.startsWith('S')));
  const groups = ids.filter((id) => id.startsWith('S'));
  return {
    ids,
    isEmpty: ids.length === 0,
    async has(userId) {
      if (users.has(userId)) return true;
      for (const group of groups) {
        if ((await groupMembers(group)).has(userId)) return true;
      }
      return false;
    },
  };
}
