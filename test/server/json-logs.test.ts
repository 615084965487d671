import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { openTestDb } from '../support/test-db.js';

describe('service log', () => {
  let running: RunningApp | undefined;
  afterAll(async () => {
    await running?.stop();
    await running?.db.close();
  });

  it('writes only JSON lines with level, time and msg, and one debug line per request with its route, status and time', async () => {
    const db = await openTestDb('pglite');
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-logs-')),
      SEED_DEMO: 'false',
      API_TOKEN: 'api-token-0123456789abcdef',
    });
    running = await startApp(config, { db, logger: createLogger(config, out) });
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    const order = await fetch(`${running.url}/api/orders/ORD-NOT-THERE?token=very-secret-value`, {
      headers: { authorization: 'Bearer api-token-0123456789abcdef', cookie: 'orderops_session=also-secret' },
    });
    expect(order.status).toBe(404);
    await running.stop();

    const lines = chunks.join('').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(5);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of entries) {
      expect(typeof e.level).toBe('number');
      expect(typeof e.time).toBe('number');
      expect(typeof e.msg).toBe('string');
    }
    expect(entries.some((e) => e.component === 'orderops' && String(e.msg).startsWith('model: offline'))).toBe(true);
    const requests = entries.filter((e) => e.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ level: 20, component: 'http', method: 'GET', route: '/healthz', status: 200 });
    expect(requests[1]).toMatchObject({ level: 20, method: 'GET', route: '/api/orders/:id', status: 404, url: '/api/orders/ORD-NOT-THERE?token=[redacted]' });
    for (const r of requests) expect(typeof r.responseTime).toBe('number');
    // Fastify's own info-level "incoming request" / "request completed" pair is off.
    expect(entries.some((e) => e.msg === 'incoming request' || e.msg === 'request completed')).toBe(false);
    expect(lines.join('\n')).not.toContain('secret');
  }, 180_000);

  it('keeps credentials out of logged objects', () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger({ LOG_LEVEL: 'info' }, out);
    logger.info({ req: { headers: { authorization: 'Bearer abc', cookie: 's=1', 'x-slack-signature': 'v0=ff' } }, slack: { token: 'xoxb-1' } }, 'probe');
    const entry = JSON.parse(chunks.join('')) as { req: { headers: Record<string, string> }; slack: { token: string } };
    expect(entry.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', 'x-slack-signature': '[redacted]' });
    expect(entry.slack.token).toBe('[redacted]');
  });
});
