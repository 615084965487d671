import { afterEach, beforeAll, expect, it } from 'vitest';
import { createSlackExtension } from '../../src/channels/slack/slack-extension.js';
import { loadConfig } from '../../src/config/config.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { describeEachDb } from '../support/test-db.js';
import { LocalSlackServer } from '../slack/local-slack-server.js';
import { renderPrompt } from '../../src/agent/prompt-library.js';
import { ACTION_IDS } from '../../src/channels/slack/action-ids.js';
import { appMentionEvent, blockActionsForm, eventCallback, postSignedToApp, slackTs, slashCommandForm } from '../slack/slack-request-sender.js';
import { SIGNING_SECRET } from '../slack/slack-test-harness.js';
import { closedPort } from '../support/closed-port.js';

const OPS = 'UOPS00001';
// Short waits so the test sees several attempts; production uses the defaults.
const FAST = { retry: { firstDelayMs: 50, maxDelayMs: 300 }, attemptTimeoutMs: 400 };

interface SlackHealth {
  state: 'connecting' | 'ready' | 'failing';
  lastError: string | null;
  nextAttemptAt: string | null;
}
interface Health {
  status: string;
  db: string;
  slack: SlackHealth;
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function health(url: string): Promise<{ status: number; body: Health }> {
  const res = await within(2_000, 'GET /healthz', fetch(`${url}/healthz`));
  return { status: res.status, body: (await res.json()) as Health };
}

async function waitForHealth(url: string, accept: (h: Health) => boolean, timeoutMs = 8_000): Promise<Health> {
  const until = Date.now() + timeoutMs;
  let last: Health | undefined;
  while (Date.now() < until) {
    const h = await health(url);
    expect(h.status).toBe(200);
    last = h.body;
    if (accept(h.body)) return h.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`health never matched; last: ${JSON.stringify(last)}`);
}

const slackConfig = (apiUrl: string) =>
  loadConfig({
    PORT: '0',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    SLACK_APPROVERS: OPS,
  });

describeEachDb('start-up never waits on Slack', (ctx) => {
  let running: RunningApp | undefined;
  beforeAll(async () => {
    await seedTestCatalog(ctx.db, 'p-unreach', [{ sku: 'UR-TEE', price: '20.00', stock: { 'loc-east-wh': 5 } }]);
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('with Slack on a closed port the app serves at once, /healthz says slack is failing and when it retries, and orders go in', async () => {
    const port = await closedPort();
    const started = Date.now();
    running = await within(3_000, 'startApp', startApp(slackConfig(`http://127.0.0.1:${port}/api/`), { db: ctx.db, extensions: [createSlackExtension(FAST)], log: () => {} }));
    expect(Date.now() - started).toBeLessThan(3_000);

    const first = await health(running.url);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'ok', db: ctx.db.kind });
    expect(['connecting', 'failing']).toContain(first.body.slack.state);

    const failing = await waitForHealth(running.url, (h) => h.slack.state === 'failing');
    expect(failing.slack.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(Date.parse(failing.slack.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1_000);

    const order = await within(
      3_000,
      'POST /api/orders',
      fetch(`${running.url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'shopify',
          external_id: 'unreachable-1',
          customer: { email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper' },
          shipping_address: { address1: '9 Pier Rd', city: 'Seattle', state: 'WA', country: 'USA', zip: '98101' },
          lines: [{ sku: 'UR-TEE', quantity: 1 }],
          payment: { method: 'card' },
        }),
      }),
    );
    expect(order.status).toBe(201);
  });

  it('with Slack hanging, events are acknowledged and kept; when Slack answers again health turns ready and the kept mention is answered', async () => {
    const local = new LocalSlackServer().addUser({ id: OPS });
    await local.start();
    local.setOutage('hang');
    try {
      running = await within(3_000, 'startApp', startApp(slackConfig(local.apiUrl), { db: ctx.db, extensions: [createSlackExtension(FAST)], log: () => {} }));
      const first = await health(running.url);
      expect(first.status).toBe(200);
      expect(first.body.slack.state).not.toBe('ready');

      // A mention that arrives before Slack is ready: acknowledged within Slack's 3 s, not lost.
      const ts = slackTs();
      const mention = eventCallback(appMentionEvent({ user: OPS, channel: 'COPS00001', text: 'help', ts }));
      const ack = await postSignedToApp(`${running.url}/slack/events`, mention, { signingSecret: SIGNING_SECRET });
      expect(ack.status).toBe(200);
      expect(ack.ms).toBeLessThan(3_000);

      // A person waiting on a command or a button is told at once; Slack does not retry those.
      const form = { signingSecret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' as const };
      const command = await postSignedToApp(`${running.url}/slack/commands`, slashCommandForm({ user: OPS, channel: 'COPS00001', text: 'held' }), form);
      expect(command.status).toBe(200);
      expect(JSON.parse(command.body)).toEqual({ response_type: 'ephemeral', text: renderPrompt('slack-connecting') });
      const press = await postSignedToApp(`${running.url}/slack/interactivity`, blockActionsForm({ user: OPS, channel: 'COPS00001', messageTs: '1.1', actionId: ACTION_IDS.approve, value: 'apr_x' }), form);
      expect(press.status).toBe(503);

      const failing = await waitForHealth(running.url, (h) => h.slack.state === 'failing');
      expect(failing.slack.lastError).toMatch(/timed out|timeout/i);
      expect(local.callsOf('chat.postMessage')).toEqual([]);

      local.setOutage('none');
      const ready = await waitForHealth(running.url, (h) => h.slack.state === 'ready');
      expect(ready.slack.lastError).toBeNull();
      const reply = await local.waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts, { description: 'the answer to the kept mention' });
      expect(reply.args.channel).toBe('COPS00001');
    } finally {
      await running?.stop();
      running = undefined;
      await local.stop();
    }
  });
});
