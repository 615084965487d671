import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { consoleExtension } from '../../src/console/console-extension.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { openEventStream } from '../support/event-stream-client.js';
import { openCancelApproval } from '../support/pending-cancel-approval.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

const TOKEN = 'console-routes-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('the console routes: built files at /console/ and the approval stream at /api/events', () => {
  let db: Db;
  let running: RunningApp;
  const config = testAppConfig('console-routes', { API_TOKEN: TOKEN });

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedAgentFixture(db);
    running = await startApp(config, { db, extensions: [consoleExtension()], log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await db?.close();
  });

  it('serves the shell without a token, with a CSP that allows only this origin, and its hashed assets', async () => {
    const res = await fetch(`${running.url}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${running.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404 for a missing file and for paths outside the build', async () => {
    expect((await fetch(`${running.url}/console/assets/nothing.js`)).status).toBe(404);
    for (const target of ['/console/..%2Fpackage.json', '/console/%2e%2e/%2e%2e/package.json', '/console/../../package.json']) {
      const res = await fetch(`${running.url}${target}`);
      expect(res.status, target).toBe(404);
      expect(await res.text()).not.toContain('"dependencies"');
    }
  });

  it('moves the bare /console to /console/, where the shell resolves its assets', async () => {
    const res = await fetch(`${running.url}/console`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it('keeps /api/events behind the token, and answers 406 to a caller that does not ask for an event stream', async () => {
    expect((await fetch(`${running.url}/api/events`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    const res = await fetch(`${running.url}/api/events`, { headers: auth });
    expect(res.status).toBe(406);
    expect(await res.json()).toMatchObject({ code: 'not_acceptable' });
  });

  it('streams approval.decided when an approval is decided over the API', async () => {
    const id = await openCancelApproval(db, config, '#W1000001', { kind: 'person', id: 'U_OPS' });
    // Refuses anything but a 200 text/event-stream response.
    const stream = await openEventStream(`${running.url}/api/events`, auth);
    await stream.connected();
    const decided = await fetch(`${running.url}/api/approvals/${id}/decision`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reason: 'customer kept the order' }),
    });
    expect(decided.status).toBe(200);
    const event = await stream.until((e) => e.event === 'approval.decided');
    expect(JSON.parse(event.data)).toEqual({ approval_id: id, status: 'rejected', order_id: '#W1000001' });
    stream.close();
  });
});
