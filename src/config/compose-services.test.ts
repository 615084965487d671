import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../test/support/test-db.js';
import { listFailedJobs } from '../jobs/list-failed-jobs.js';
import { composeServices } from './compose-services.js';
import { ConfigError, loadConfig } from './config.js';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });

describe('the composition root', () => {
  const t = useTestDb();

  it('picks the in-process queue and the log for alerts when nothing is configured, and talks to no one', async () => {
    const lines: string[] = [];
    const services = composeServices(config(), { db: t.db, log: (l) => lines.push(l) });
    expect(services.queue.kind).toBe('in-process');
    expect(services.summary).toEqual([
      expect.stringContaining('in-process runner'),
      expect.stringContaining('alerts: the log'),
      expect.stringContaining('SMS: files under'),
      expect.stringContaining('storefronts: none'),
    ]);
    expect(services.sms.kind).toBe('outbox');
    expect(services.storefronts.channels).toEqual([]);
    await services.alerts.raise({ subject: 'stock X', severity: 'warning', title: 'low', reasons: ['r'], suggestedActions: [], flagId: 1, dedupeKey: 'k' });
    expect(lines.join('\n')).toContain('low');
    await services.queue.close();
  });

  it('puts a job that failed its last attempt on the dead-letter list', async () => {
    const services = composeServices(config(), { db: t.db, log: () => undefined });
    services.queue.register('compose-doomed', async () => {
      throw new Error('never works');
    });
    await services.queue.start();
    await services.queue.enqueue('compose-doomed', { x: 1 }, { jobId: 'doomed-a', attempts: 1 });
    await services.queue.drain();
    let items: Awaited<ReturnType<typeof listFailedJobs>>['items'] = [];
    for (let i = 0; i < 100 && items.length === 0; i++) {
      items = (await listFailedJobs(t.db, { queue: 'compose-doomed' })).items;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(items).toEqual([expect.objectContaining({ jobId: 'doomed-a', payload: { x: 1 }, error: 'never works', attempts: 1 })]);
    await services.queue.close();
  });

  it('opens each configured storefront once per configuration, so every part shares its client', async () => {
    const c = config({
      SHOPIFY_SHOP_DOMAIN: 'example.myshopify.com',
      SHOPIFY_ACCESS_TOKEN: 'shpat_test',
      WOOCOMMERCE_URL: 'http://127.0.0.1:1',
      WOOCOMMERCE_CONSUMER_KEY: 'ck_test',
      WOOCOMMERCE_CONSUMER_SECRET: 'cs_test',
    });
    const first = composeServices(c, { db: t.db, log: () => undefined });
    const second = composeServices(c, { db: t.db, log: () => undefined });
    expect(first.storefronts.channels.map((ch) => ch.channel)).toEqual(['shopify', 'woocommerce']);
    expect(second.storefronts.shopify).toBe(first.storefronts.shopify);
    expect(first.summary).toContain('storefronts: shopify, woocommerce');
    await first.queue.close();
    await second.queue.close();
  });

  it('picks BullMQ under QUEUE_PREFIX with REDIS_URL, and refuses a prefix Redis keys would trip over', async () => {
    const services = composeServices(config({ REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'shop-b' }), { db: t.db, log: () => undefined });
    expect(services.queue.kind).toBe('bullmq');
    expect(services.summary[0]).toContain('prefix shop-b');
    await services.queue.close().catch(() => undefined);
    expect(() => config({ QUEUE_PREFIX: 'a:b' })).toThrow(ConfigError);
  });
});
