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

  it('reads EMAIL_ALIASES as a list of addresses and names the variable when one is not an address', () => {
    expect(loadConfig({}).EMAIL_ALIASES).toEqual([]);
    expect(loadConfig({ EMAIL_ALIASES: 'help@shop.example, orders@shop.example' }).EMAIL_ALIASES).toEqual(['help@shop.example', 'orders@shop.example']);
    expect(() => loadConfig({ EMAIL_ALIASES: 'help@shop.example,nobody' })).toThrow(/EMAIL_ALIASES: must be comma-separated email addresses/);
  });

  it('has bounded defaults for the email and history limits', () => {
    expect(loadConfig({})).toMatchObject({
      EMAIL_MODEL_TEXT_BYTES: 16 * 1024,
      AGENT_HISTORY_TOKENS: 32_000,
      EMAIL_GLOBAL_TURNS_PER_MINUTE: 30,
      EMAIL_GLOBAL_TURNS_PER_HOUR: 600,
      SMTP_IP_CONNECTIONS_PER_MINUTE: 120,
      SMTP_IP_MESSAGES_PER_MINUTE: 60,
    });
    expect(() => loadConfig({ AGENT_HISTORY_TOKENS: '10' })).toThrow(/AGENT_HISTORY_TOKENS/);
  });
});
