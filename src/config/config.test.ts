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

  describe('METRICS_TOKEN', () => {
    const token = 'metrics-token-0123456789';

    it('is unset by default and refuses a short token', () => {
      expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
      expect(loadConfig({ METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
      expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    });

    it('refuses a token that is also API_TOKEN or a channel token, without echoing it', () => {
      for (const env of [{ API_TOKEN: token }, { API_TOKENS: `pos:${token}` }]) {
        try {
          loadConfig({ ...env, METRICS_TOKEN: token });
          expect.unreachable();
        } catch (err) {
          expect((err as ConfigError).issues.map((i) => i.variable)).toEqual(['METRICS_TOKEN']);
          expect((err as Error).message).not.toContain(token);
        }
      }
    });
  });

  describe('API_TOKENS', () => {
    const t1 = 'shopify-token-0123456789';
    const t2 = 'pos-token-0123456789abcd';

    it('parses channel:token pairs, and is empty when unset', () => {
      expect(loadConfig({}).API_TOKENS).toEqual([]);
      expect(loadConfig({ API_TOKENS: ` shopify:${t1} , pos:${t2},` }).API_TOKENS).toEqual([
        { channel: 'shopify', token: t1 },
        { channel: 'pos', token: t2 },
      ]);
    });

    it('a token may itself hold a colon', () => {
      expect(loadConfig({ API_TOKENS: `pos:${t2}:x` }).API_TOKENS).toEqual([{ channel: 'pos', token: `${t2}:x` }]);
    });

    const bad: [string, Record<string, string>, RegExp][] = [
      ['a short token', { API_TOKENS: 'shopify:short' }, /API_TOKENS: entry 1 \(shopify\): token must be at least 16 characters/],
      ['no colon', { API_TOKENS: t1 }, /API_TOKENS: entry 1: must be channel:token/],
      ['a channel the order schema refuses', { API_TOKENS: `Shop Ify:${t1}` }, /API_TOKENS: entry 1 \(Shop Ify\): channel must be a short lowercase channel name/],
      ['an empty channel', { API_TOKENS: `:${t1}` }, /API_TOKENS: entry 1: channel/],
      ['a channel twice', { API_TOKENS: `pos:${t1},pos:${t2}` }, /API_TOKENS: entry 2 \(pos\): channel is listed twice/],
      ['one token for two channels', { API_TOKENS: `pos:${t1},web:${t1}` }, /API_TOKENS: entry 2 \(web\): token is already used/],
      ['a channel token equal to API_TOKEN', { API_TOKEN: t1, API_TOKENS: `shopify:${t1}` }, /API_TOKENS: the shopify token is the same as API_TOKEN/],
    ];
    for (const [name, env, message] of bad) {
      it(`refuses ${name}, naming API_TOKENS and never echoing the token`, () => {
        try {
          loadConfig(env);
          expect.unreachable();
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).issues.map((i) => i.variable)).toEqual(['API_TOKENS']);
          expect((err as Error).message).toMatch(message);
          expect((err as Error).message).not.toContain(t1);
        }
      });
    }
  });

  it('takes Slack ids for the ops team and channels, and names the variable when a name is given instead', () => {
    const config = loadConfig({ SLACK_OPS_USERS: 'U0ALICE, S0OPS', SLACK_OPS_CHANNELS: 'C0OPS,G0PRIVATE' });
    expect(config.SLACK_OPS_USERS).toEqual(['U0ALICE', 'S0OPS']);
    expect(config.SLACK_OPS_CHANNELS).toEqual(['C0OPS', 'G0PRIVATE']);
    expect(loadConfig({}).SLACK_OPS_USERS).toEqual([]);
    expect(() => loadConfig({ SLACK_OPS_USERS: 'U0ALICE,@bob' })).toThrow(/SLACK_OPS_USERS: must be comma-separated user ids/);
    expect(() => loadConfig({ SLACK_OPS_CHANNELS: '#ops' })).toThrow(/SLACK_OPS_CHANNELS: must be comma-separated channel ids/);
  });

  it('reads BRIEFING_HOUR as a local hour, 8 by default, and names it when out of range', () => {
    expect(loadConfig({}).BRIEFING_HOUR).toBe(8);
    expect(loadConfig({ BRIEFING_HOUR: '6' }).BRIEFING_HOUR).toBe(6);
    expect(() => loadConfig({ BRIEFING_HOUR: '24' })).toThrow(/BRIEFING_HOUR/);
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

describe('CARRIERS', () => {
  it('is the sandbox when unset', () => {
    expect(loadConfig({}).CARRIERS).toEqual(['sandbox']);
    expect(loadConfig({}).EASYPOST_API_URL).toBe('https://api.easypost.com/v2');
    expect(loadConfig({}).SHIPPO_API_URL).toBe('https://api.goshippo.com');
  });

  it('refuses an adapter it does not know', () => {
    expect(() => loadConfig({ CARRIERS: 'sandbox,fedex' })).toThrow(/CARRIERS: must be comma-separated carrier accounts/);
  });

  it('refuses a listed carrier without its credentials, naming the variable', () => {
    expect(() => loadConfig({ CARRIERS: 'easypost' })).toThrow(/EASYPOST_API_KEY: must be set when CARRIERS lists easypost/);
    expect(() => loadConfig({ CARRIERS: 'shippo,sandbox' })).toThrow(/SHIPPO_API_TOKEN: must be set when CARRIERS lists shippo/);
    expect(loadConfig({ CARRIERS: 'easypost, shippo', EASYPOST_API_KEY: 'EZTK1', SHIPPO_API_TOKEN: 'shippo_test_1' }).CARRIERS).toEqual(['easypost', 'shippo']);
  });

  describe('single sign-on (OIDC_*)', () => {
    const oidc = { OIDC_ISSUER: 'https://login.example.com/realms/ops', OIDC_CLIENT_ID: 'orderops', OIDC_CLIENT_SECRET: 'client-secret-value', PUBLIC_URL: 'https://ops.example.com' };
    const variablesOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).issues.map((i) => i.variable).sort();
      }
      return [];
    };

    it('is off by default, with viewer as the role of new accounts and no domain allowed to make one', () => {
      const config = loadConfig({});
      expect(config.OIDC_ISSUER).toBeUndefined();
      expect(config.OIDC_DEFAULT_ROLE).toBe('viewer');
      expect(config.OIDC_ALLOWED_DOMAINS).toEqual([]);
    });

    it('takes the issuer, client, role and domains', () => {
      const config = loadConfig({ ...oidc, OIDC_DEFAULT_ROLE: 'operator', OIDC_ALLOWED_DOMAINS: 'Example.com, @shop.example.org' });
      expect(config.OIDC_ISSUER).toBe(oidc.OIDC_ISSUER);
      expect(config.OIDC_DEFAULT_ROLE).toBe('operator');
      expect(config.OIDC_ALLOWED_DOMAINS).toEqual(['example.com', 'shop.example.org']);
    });

    it('needs all three of issuer, client id and secret, naming each one missing', () => {
      expect(variablesOf({ OIDC_ISSUER: oidc.OIDC_ISSUER, PUBLIC_URL: oidc.PUBLIC_URL })).toEqual(['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
      expect(variablesOf({ ...oidc, OIDC_CLIENT_SECRET: '' })).toEqual(['OIDC_CLIENT_SECRET']);
      expect(variablesOf({ OIDC_CLIENT_ID: 'orderops', OIDC_CLIENT_SECRET: 'x', PUBLIC_URL: oidc.PUBLIC_URL })).toEqual(['OIDC_ISSUER']);
      expect(() => loadConfig({ ...oidc, OIDC_CLIENT_ID: '' })).toThrow(/OIDC_CLIENT_ID: must be set with the other OIDC_\* settings/);
    });

    it('needs PUBLIC_URL, which the redirect URI is made of', () => {
      expect(() => loadConfig({ ...oidc, PUBLIC_URL: '' })).toThrow(/PUBLIC_URL: must be set when OIDC_ISSUER is \(the redirect URI is PUBLIC_URL\/auth\/oidc\/callback\)/);
    });

    it('takes an https issuer, and http only on this machine', () => {
      for (const issuer of ['http://127.0.0.1:8080', 'http://localhost:9000/realms/x', 'https://accounts.example.com']) {
        expect(loadConfig({ ...oidc, OIDC_ISSUER: issuer }).OIDC_ISSUER, issuer).toBe(issuer);
      }
      for (const issuer of ['http://login.example.com', 'http://127.0.0.1.example.com', 'ftp://login.example.com', 'login.example.com']) {
        expect(() => loadConfig({ ...oidc, OIDC_ISSUER: issuer }), issuer).toThrow(/OIDC_ISSUER: must be an https:\/\/ URL \(http:\/\/ only for 127.0.0.1 or localhost\)/);
      }
    });

    it('refuses an unknown role and a domain that is not one, never echoing the secret', () => {
      expect(variablesOf({ ...oidc, OIDC_DEFAULT_ROLE: 'root' })).toEqual(['OIDC_DEFAULT_ROLE']);
      expect(() => loadConfig({ ...oidc, OIDC_DEFAULT_ROLE: 'root' })).toThrow(/OIDC_DEFAULT_ROLE: must be one of viewer, operator, approver, admin/);
      expect(variablesOf({ ...oidc, OIDC_ALLOWED_DOMAINS: 'example.com, not a domain' })).toEqual(['OIDC_ALLOWED_DOMAINS']);
      expect(() => loadConfig({ ...oidc, OIDC_CLIENT_ID: '' })).not.toThrow(new RegExp(oidc.OIDC_CLIENT_SECRET));
    });
  });
});
