import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./data');
    expect(config.SEED_DEMO).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', ANTHROPIC_API_KEY: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names the variable that holds a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a URL/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: '-1', REDIS_URL: 'http://x' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['PORT', 'REDIS_URL']);
    }
  });

  it('splits comma lists', () => {
    expect(loadConfig({ SLACK_APPROVERS: 'U1, S2 ,' }).SLACK_APPROVERS).toEqual(['U1', 'S2']);
  });

  it('takes Slack ids for the ops team and channels, and names the variable when a name is given instead', () => {
    const config = loadConfig({ SLACK_OPS_USERS: 'U0ALICE, S0OPS', SLACK_OPS_CHANNELS: 'C0OPS,G0PRIVATE' });
    expect(config.SLACK_OPS_USERS).toEqual(['U0ALICE', 'S0OPS']);
    expect(config.SLACK_OPS_CHANNELS).toEqual(['C0OPS', 'G0PRIVATE']);
    expect(loadConfig({}).SLACK_OPS_USERS).toEqual([]);
    expect(() => loadConfig({ SLACK_OPS_USERS: 'U0ALICE,@bob' })).toThrow(/SLACK_OPS_USERS: must be comma-separated user ids/);
    expect(() => loadConfig({ SLACK_OPS_CHANNELS: '#ops' })).toThrow(/SLACK_OPS_CHANNELS: must be comma-separated channel ids/);
  });
});
