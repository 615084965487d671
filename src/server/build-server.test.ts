import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/support/test-db.js';
import { loadConfig } from '../config/config.js';
import type { Db } from '../db/db.js';
import { buildServer } from './build-server.js';

describe('server request log', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb('pglite');
  });
  afterAll(async () => {
    await db.close();
  });

  it('logs request URLs without their query values: a webhook token in the query stays out of the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = buildServer({
      db,
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', API_TOKEN: 'api-token-0123456789abcdef' }),
      logStream: stream,
      routes: [
        (scope) => {
          scope.post('/webhooks/shippo', async () => ({ ok: true }));
        },
      ],
    });
    await app.inject({ method: 'POST', url: '/webhooks/shippo?token=secret-of-shippo&event=track', payload: {} });
    await app.inject({ method: 'GET', url: '/no/such/route?token=secret-of-shippo' });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/webhooks/shippo?token=[redacted]&event=[redacted]');
    expect(log).toContain('/no/such/route?token=[redacted]');
    expect(log).not.toContain('secret');
  });
});
