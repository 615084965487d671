import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../../src/channels/slack/action-ids.js';
import { SLACK_HTTP_PATHS } from '../../src/channels/slack/receivers/fastify-slack-receiver.js';

interface Manifest {
  features: { slash_commands: { command: string; url: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = parse(readFileSync(new URL('../../slack/manifest.yaml', import.meta.url), 'utf8')) as Manifest;
const path = (url: string) => new URL(url).pathname;

describe('slack/manifest.yaml', () => {
  it('points every request URL at a route the server serves', () => {
    const served = new Set<string>(SLACK_HTTP_PATHS);
    expect(served.has(path(manifest.settings.event_subscriptions.request_url))).toBe(true);
    expect(served.has(path(manifest.settings.interactivity.request_url))).toBe(true);
    expect(manifest.features.slash_commands.every((c) => served.has(path(c.url)))).toBe(true);
  });

  it('declares the slash command, Home tab, events and the scopes the Web API calls need', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'app_home_opened', 'message.im', 'message.channels']),
    );
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'channels:history', 'users:read', 'usergroups:read']),
    );
  });
});
