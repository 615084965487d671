import { describe, expect, it } from 'vitest';
import { createSlackMembership } from './slack-membership.js';
import { createSlackOpsAccess, describeSlackOpsAccess, slackOpsTeamIds, type SlackRequester, type SlackWorkspace } from './slack-ops-access.js';

const workspace: SlackWorkspace = { teamId: 'T0OURS' };
const groups = async (id: string): Promise<ReadonlySet<string>> => {
  if (id === 'SBROKEN') throw new Error('missing_scope');
  return new Set(id === 'SOPS' ? ['UGROUPED'] : []);
};
const access = (ids: string[], channels: string[] = [], ws = workspace) =>
  createSlackOpsAccess({ workspace: ws, ops: createSlackMembership(ids, groups), channels });
const inChannel = (user: string, id = 'COPS', extra: Partial<SlackRequester> = {}, sharedWithOtherOrg = false): SlackRequester => ({
  user,
  where: { kind: 'channel', id, sharedWithOtherOrg },
  ...extra,
});

describe('createSlackOpsAccess', () => {
  it('lets listed users and members of listed groups in, and nobody else', async () => {
    const a = access(['UALICE', 'SOPS']);
    expect(await a.refusal(inChannel('UALICE'))).toBeNull();
    expect(await a.refusal(inChannel('UGROUPED'))).toBeNull();
    expect(await a.refusal(inChannel('UGUEST'))).toBe('not_ops');
    expect(await access([]).refusal(inChannel('UALICE'))).toBe('not_ops');
  });

  it('refuses a user of another team or organisation even when listed', async () => {
    const a = access(['UPARTNER']);
    expect(await a.refusal(inChannel('UPARTNER', 'COPS', { team: 'T0THEIRS' }))).toBe('not_ops');
    expect(await a.refusal(inChannel('UPARTNER', 'COPS', { team: 'T0OURS', enterprise: 'E0THEIRS' }))).toBe('not_ops');
    expect(a.fromWorkspace({ team: 'T0OURS' })).toBe(true);
    expect(a.fromWorkspace({})).toBe(true);
    const grid = access(['UGRID'], [], { teamId: 'T0OURS', enterpriseId: 'E0ORG' });
    expect(grid.fromWorkspace({ team: 'T0SIBLING', enterprise: 'E0ORG' })).toBe(true);
    expect(grid.fromWorkspace({ team: 'T0SIBLING' })).toBe(false);
  });

  it('answers in any unshared channel by default, never in one shared with another organisation unless listed', async () => {
    const open = access(['UALICE']);
    expect(await open.refusal(inChannel('UALICE', 'CANY'))).toBeNull();
    expect(await open.refusal(inChannel('UALICE', 'CSHARED', {}, true))).toBe('channel');
    const listed = access(['UALICE'], ['COPS', 'CSHARED']);
    expect(await listed.refusal(inChannel('UALICE', 'CSHARED', {}, true))).toBeNull();
    expect(await listed.refusal(inChannel('UALICE', 'CANY'))).toBe('channel');
    expect(await listed.refusal({ user: 'UALICE', where: { kind: 'dm' } })).toBeNull();
    expect(await listed.refusal({ user: 'UALICE', where: { kind: 'home' } })).toBeNull();
    expect(await listed.refusal({ user: 'UGUEST', where: { kind: 'dm' } })).toBe('not_ops');
  });

  it('refuses, without throwing, when a user group cannot be read', async () => {
    expect(await access(['SBROKEN']).refusal(inChannel('UALICE'))).toBe('unchecked');
  });
});

describe('the ops team from the configuration', () => {
  const base = { SLACK_OPS_USERS: [], SLACK_APPROVERS: [], SLACK_OPS_CHANNELS: [], SLACK_ALERTS_CHANNEL: undefined };
  it('is SLACK_OPS_USERS, or the approvers and nobody else when that is empty', () => {
    expect(slackOpsTeamIds({ ...base, SLACK_OPS_USERS: ['U1'], SLACK_APPROVERS: ['U2'] })).toEqual(['U1']);
    expect(slackOpsTeamIds({ ...base, SLACK_APPROVERS: ['U2'] })).toEqual(['U2']);
    expect(describeSlackOpsAccess({ ...base, SLACK_APPROVERS: ['U2'] })).toMatch(/^Slack ops team: U2 \(SLACK_OPS_USERS is empty, so the SLACK_APPROVERS and nobody else\)/);
    expect(describeSlackOpsAccess(base)).toMatch(/nobody/);
    expect(describeSlackOpsAccess({ ...base, SLACK_OPS_USERS: ['U1'], SLACK_OPS_CHANNELS: ['COPS'], SLACK_ALERTS_CHANNEL: 'CALERTS' })).toMatch(/in COPS, CALERTS and DMs/);
  });
});
