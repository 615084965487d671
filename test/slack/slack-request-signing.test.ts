import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedProvider } from '../../src/agent/providers/scripted-provider.js';
import { computeSlackSignature } from '../../src/channels/slack/verify-slack-signature.js';
import { describeEachDb } from '../support/test-db.js';
import { appMentionEvent, eventCallback, postSignedToApp, slackTs } from './slack-request-sender.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './slack-test-harness.js';

describeEachDb('Slack request signing on POST /slack/*', (ctx) => {
  let h: SlackHarness;
  let provider: ScriptedProvider;

  beforeAll(async () => {
    provider = new ScriptedProvider([], { whenExhausted: 'ok' });
    // The sender is on the ops team: what stops the refused requests below is the signature alone.
    h = await startSlackHarness({ db: ctx.db, provider, env: { SLACK_OPS_USERS: 'UDAVE0001' } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const mention = () => eventCallback(appMentionEvent({ user: 'UDAVE0001', channel: 'COPS00001', text: 'status of #W0000001?', ts: slackTs() }));

  async function expectNoWork() {
    await h.slack.settled();
    await h.queue.drain();
    expect(provider.requests).toHaveLength(0);
    expect(h.local.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect((await ctx.db.query('SELECT 1 FROM slack_inbound_messages')).rows).toHaveLength(0);
  }

  describe('refused with 401 and no work', () => {
    for (const path of ['/slack/events', '/slack/interactivity', '/slack/commands']) {
      it(`without a signature (${path})`, async () => {
        const res = await postSignedToApp(`${h.baseUrl}${path}`, mention(), { signingSecret: SIGNING_SECRET, signature: null });
        expect(res.status).toBe(401);
        await expectNoWork();
      });
    }

    it('without a timestamp', async () => {
      const body = mention();
      const res = await fetch(`${h.baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-slack-signature': computeSlackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body) },
        body,
      });
      expect(res.status).toBe(401);
      await expectNoWork();
    });

    it('with a signature made with another secret', async () => {
      const res = await postSignedToApp(`${h.baseUrl}/slack/events`, mention(), { signingSecret: 'not-the-secret' });
      expect(res.status).toBe(401);
      await expectNoWork();
    });

    it('with a body changed after signing', async () => {
      const body = mention();
      const ts = Math.floor(Date.now() / 1000);
      const res = await postSignedToApp(`${h.baseUrl}/slack/events`, body.replace('status of', 'cancel'), {
        signingSecret: SIGNING_SECRET,
        timestamp: ts,
        signature: computeSlackSignature(SIGNING_SECRET, ts, body),
      });
      expect(res.status).toBe(401);
      await expectNoWork();
    });

    it('with a correct signature over a timestamp more than 5 minutes old (a replay)', async () => {
      const res = await postSignedToApp(`${h.baseUrl}/slack/events`, mention(), {
        signingSecret: SIGNING_SECRET,
        timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
      });
      expect(res.status).toBe(401);
      await expectNoWork();
    });
  });

  it('answers a correctly signed url_verification with its challenge', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    const res = await postSignedToApp(`${h.baseUrl}/slack/events`, body, { signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses an unsigned url_verification', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: 'abc', type: 'url_verification' });
    const res = await postSignedToApp(`${h.baseUrl}/slack/events`, body, { signingSecret: SIGNING_SECRET, signature: 'v0=deadbeef' });
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('abc');
  });

  it('accepts the same mention once correctly signed', async () => {
    const res = await postSignedToApp(`${h.baseUrl}/slack/events`, mention(), { signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    const reply = await h.local.waitForCall((c) => c.method === 'chat.postMessage');
    expect(reply.args.text).toBe('ok');
  });
});
