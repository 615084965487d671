import { afterAll, beforeAll, expect, it } from 'vitest';
import { slackExtension } from '../../src/channels/slack/slack-extension.js';
import { loadConfig } from '../../src/config/config.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { describeEachDb } from '../support/test-db.js';
import { LocalSlackServer } from './local-slack-server.js';
import { postSignedToApp } from './slack-request-sender.js';
import { SIGNING_SECRET } from './slack-test-harness.js';

async function waitForSlackReady(url: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const body = (await (await fetch(`${url}/healthz`)).json()) as { slack?: { state: string } };
    if (body.slack?.state === 'ready') return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('Slack never turned ready');
}

const challenge = JSON.stringify({ token: 'legacy', challenge: 'c-123', type: 'url_verification' });

describeEachDb('Slack inside startApp (npm start)', (ctx) => {
  const local = new LocalSlackServer();
  beforeAll(async () => {
    await local.start();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('with nothing configured the app starts, says Slack is off, and has no Slack routes', async () => {
    const lines: string[] = [];
    const config = loadConfig({ PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
    const running: RunningApp = await startApp(config, { db: ctx.db, extensions: [slackExtension], log: (l) => lines.push(l) });
    try {
      expect(lines.some((l) => /^Slack: off/.test(l))).toBe(true);
      const res = await postSignedToApp(`${running.url}/slack/events`, challenge, { signingSecret: SIGNING_SECRET });
      expect(res.status).toBe(404);
      expect(local.calls).toHaveLength(0);
    } finally {
      await running.stop();
    }
  });

  it('with a bot token and signing secret it serves /slack/events on the API port', async () => {
    const lines: string[] = [];
    const config = loadConfig({
      PORT: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: local.apiUrl,
    });
    const running = await startApp(config, { db: ctx.db, extensions: [slackExtension], log: (l) => lines.push(l) });
    try {
      expect(lines).toContain('Slack: on (HTTP events)');
      const health = await waitForSlackReady(running.url);
      expect(health).toMatchObject({ status: 'ok', slack: { state: 'ready', lastError: null, nextAttemptAt: null } });
      expect(lines.some((l) => l.startsWith('Slack on: events at POST /slack/events'))).toBe(true);
      const ok = await postSignedToApp(`${running.url}/slack/events`, challenge, { signingSecret: SIGNING_SECRET });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({ challenge: 'c-123' });
      const bad = await postSignedToApp(`${running.url}/slack/events`, challenge, { signingSecret: 'wrong' });
      expect(bad.status).toBe(401);
      expect(local.callsOf('auth.test')).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });
});
