import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../server/error-handler.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { createPostgresDb } from './postgres-db.js';
import { closedPort } from '../../test/support/closed-port.js';

/** A TCP port that accepts connections and never says a word: a PostgreSQL that hangs. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => void sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

const caught = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);

describe('database unavailable', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let closed: number;
  beforeAll(async () => {
    silent = await silentServer();
    closed = await closedPort();
  });
  afterAll(async () => {
    for (const s of silent.sockets) s.destroy();
    await new Promise<void>((resolve) => silent.server.close(() => resolve()));
  });

  it('recognises a refused connection, a connect timeout and a server shutting down, and nothing else', async () => {
    const refused = createPostgresDb(`postgres://postgres@127.0.0.1:${closed}/x`);
    const refusedErr = await caught(refused.query('SELECT 1'));
    await refused.close();
    expect(isDatabaseUnavailable(refusedErr)).toBe(true);

    const hanging = createPostgresDb(`postgres://postgres@127.0.0.1:${silent.port}/x`, { connectionTimeoutMillis: 200 });
    const timeoutErr = await caught(hanging.query('SELECT 1'));
    expect(isDatabaseUnavailable(timeoutErr)).toBe(true);
    await hanging.close().catch(() => undefined);

    // What PostgreSQL sends a session when it is shut down (SQLSTATE 57P01), wrapped by a caller.
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isDatabaseUnavailable(new Error('could not create the order', { cause: shutdown }))).toBe(true);

    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('answers 503 with Retry-After while the database cannot be reached, within the connect timeout, and 500 for a bug', async () => {
    const db = createPostgresDb(`postgres://postgres@127.0.0.1:${silent.port}/x`, { connectionTimeoutMillis: 300 });
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    app.get('/orders', async () => (await db.query('SELECT 1')).rows);
    app.get('/bug', async () => {
      throw new TypeError('x is undefined');
    });
    const down = await app.inject({ method: 'GET', url: '/orders' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toEqual({ error: 'the database is unavailable; try again shortly', code: 'database_unavailable' });
    const bug = await app.inject({ method: 'GET', url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.headers['retry-after']).toBeUndefined();
    await app.close();
    await db.close().catch(() => undefined);
  });
});
