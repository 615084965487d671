import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { openShopify } from './open-shopify.js';

describe('openShopify', () => {
  it('is off without the shop and token, and never needs them at start-up', () => {
    expect(openShopify(loadConfig({}))).toBeNull();
    expect(openShopify(loadConfig({ SHOPIFY_SHOP_DOMAIN: 'example.myshopify.com' }))).toBeNull();
    expect(openShopify(loadConfig({ SHOPIFY_WEBHOOK_SECRET: 'secret' }))).toBeNull();
  });

  it('builds the Admin GraphQL endpoint from the shop and version, or takes SHOPIFY_API_URL', () => {
    const c = loadConfig({ SHOPIFY_SHOP_DOMAIN: 'example.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_x' });
    expect(c.SHOPIFY_API_VERSION).toBe('2026-04');
    expect(c.SHOPIFY_RECONCILE_MINUTES).toBe(15);
    expect(openShopify(c)?.url).toBe('https://example.myshopify.com/admin/api/2026-04/graphql.json');
    const local = loadConfig({ SHOPIFY_ACCESS_TOKEN: 'shpat_x', SHOPIFY_API_URL: 'http://127.0.0.1:9/admin/api/2026-04/graphql.json' });
    expect(openShopify(local)?.url).toBe('http://127.0.0.1:9/admin/api/2026-04/graphql.json');
  });

  it('names a bad Shopify setting', () => {
    const issues = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).issues.map((i) => i.variable);
      }
    };
    expect(issues({ SHOPIFY_SHOP_DOMAIN: 'https://example.myshopify.com' })).toEqual(['SHOPIFY_SHOP_DOMAIN']);
    expect(issues({ SHOPIFY_API_VERSION: '2026-05' })).toEqual(['SHOPIFY_API_VERSION']);
    expect(issues({ SHOPIFY_LOCATION_ID: '123' })).toEqual(['SHOPIFY_LOCATION_ID']);
  });
});
