import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsSender } from '../../src/connectors/sms/twilio/twilio-sms-sender.js';
import { createOutboxSmsSender } from '../../src/notifications/outbox-sms-sender.js';
import { SmsSendError, type SmsSender } from '../../src/notifications/sms-sender.js';
import { TwilioWireServer } from '../support/twilio-wire-server.js';

interface SenderHarness {
  /** A new sender on the same store, as another process (or the same one after a restart) would make. */
  newSender(): SmsSender;
  /** The messages that reached the recipient's side, once each. */
  delivered(): { to: string; body: string }[];
}

let seq = 0;
const key = () => `contract-${process.pid}-${++seq}`;

/** What every SmsSender promises (src/notifications/sms-sender.ts). */
function smsSenderContract(name: string, setup: () => Promise<SenderHarness>, teardown: () => Promise<void> = async () => {}) {
  describe(`SmsSender contract: ${name}`, () => {
    let h: SenderHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(teardown);

    it('sends a message and returns the provider id and a status', async () => {
      const before = h.delivered().length;
      const result = await h.newSender().send({ to: '+15550100101', body: 'Your order W1 has shipped.', idempotencyKey: key() });
      expect(result.providerId).toMatch(/^\w{10,}$/);
      expect(result.status).toMatch(/^[a-z]+$/);
      const now = h.delivered();
      expect(now).toHaveLength(before + 1);
      expect(now.at(-1)).toEqual({ to: '+15550100101', body: 'Your order W1 has shipped.' });
    });

    it('the same idempotency key twice, even from another sender, is one message with one provider id', async () => {
      const before = h.delivered().length;
      const k = key();
      const first = await h.newSender().send({ to: '+15550100102', body: 'Out for delivery today.', idempotencyKey: k });
      const again = await h.newSender().send({ to: '+15550100102', body: 'Out for delivery today.', idempotencyKey: k });
      const sameSender = h.newSender();
      await sameSender.send({ to: '+15550100102', body: 'Out for delivery today.', idempotencyKey: k });
      const third = await sameSender.send({ to: '+15550100102', body: 'Out for delivery today.', idempotencyKey: k });
      expect(again.providerId).toBe(first.providerId);
      expect(third.providerId).toBe(first.providerId);
      expect(h.delivered()).toHaveLength(before + 1);
    });

    it('different keys are different messages with different provider ids', async () => {
      const before = h.delivered().length;
      const sender = h.newSender();
      const a = await sender.send({ to: '+15550100103', body: 'Delivered.', idempotencyKey: key() });
      const b = await sender.send({ to: '+15550100103', body: 'Delivered.', idempotencyKey: key() });
      expect(a.providerId).not.toBe(b.providerId);
      expect(h.delivered()).toHaveLength(before + 2);
    });
  });
}

const outboxDir = mkdtempSync(join(tmpdir(), 'orderops-sms-contract-'));
smsSenderContract('outbox (files under DATA_DIR/sms-outbox)', async () => ({
  newSender: () => createOutboxSmsSender(outboxDir),
  delivered: () => {
    const dir = join(outboxDir, 'sms-outbox');
    const files = (() => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    })();
    return files
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { to: string; body: string; at: string })
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(({ to, body }) => ({ to, body }));
  },
}));

const wire = new TwilioWireServer();
let apiUrl = '';
const twilioSender = (overrides: Partial<Parameters<typeof createTwilioSmsSender>[0]> = {}) =>
  createTwilioSmsSender({ accountSid: wire.accountSid, authToken: wire.authToken, from: '+15005550006', apiUrl, ...overrides });

// One server for the contract and the Twilio-only cases below.
beforeAll(async () => {
  apiUrl = await wire.start();
});
afterAll(() => wire.stop());

smsSenderContract("Twilio (a local server speaking Twilio's Messages API)", async () => ({
  newSender: () => twilioSender(),
  delivered: () => wire.messages.map(({ to, body }) => ({ to, body })),
}));

describe('Twilio sender: the request and its errors', () => {
  const sendError = async (p: Promise<unknown>): Promise<SmsSendError> => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SmsSendError);
    return err as SmsSendError;
  };

  it('sends From, Body, To and StatusCallback, and the idempotency key as I-Twilio-Idempotency-Token', async () => {
    const k = key();
    const r = await twilioSender().send({ to: '+15550100201', body: 'Hi & bye', idempotencyKey: k, statusCallbackUrl: 'https://shop.example/webhooks/twilio/status' });
    const m = wire.messages.find((x) => x.sid === r.providerId)!;
    expect(m).toMatchObject({ to: '+15550100201', from: '+15005550006', messagingServiceSid: null, body: 'Hi & bye', statusCallback: 'https://shop.example/webhooks/twilio/status', idempotencyToken: k });
    expect(r.status).toBe('queued');
  });

  it('sends through a Messaging Service when TWILIO_FROM is an MG SID', async () => {
    const r = await twilioSender({ from: 'MG0123456789abcdef0123456789abcdef' }).send({ to: '+15550100202', body: 'Via service', idempotencyKey: key() });
    const m = wire.messages.find((x) => x.sid === r.providerId)!;
    expect(m.from).toBeNull();
    expect(m.messagingServiceSid).toBe('MG0123456789abcdef0123456789abcdef');
    expect(r.status).toBe('accepted');
  });

  it('429 and 5xx are retryable with Twilio\'s code, and a retry with the same key sends one message', async () => {
    const k = key();
    const before = wire.messages.length;
    wire.fail({ kind: '429' });
    const limited = await sendError(twilioSender().send({ to: '+15550100203', body: 'x', idempotencyKey: k }));
    expect(limited).toMatchObject({ retryable: true, code: '20429' });
    wire.fail({ kind: '500' });
    const down = await sendError(twilioSender().send({ to: '+15550100203', body: 'x', idempotencyKey: k }));
    expect(down).toMatchObject({ retryable: true, code: '20500' });
    await twilioSender().send({ to: '+15550100203', body: 'x', idempotencyKey: k });
    expect(wire.messages.length).toBe(before + 1);
  });

  it('a recipient who replied STOP (21610) and an invalid number (21211) are permanent, with the code', async () => {
    wire.fail({ kind: '21610' });
    const stopped = await sendError(twilioSender().send({ to: '+15550100204', body: 'x', idempotencyKey: key() }));
    expect(stopped).toMatchObject({ retryable: false, code: '21610' });
    expect(stopped.message).toContain('unsubscribed recipient');
    const invalid = await sendError(twilioSender().send({ to: '555-0100', body: 'x', idempotencyKey: key() }));
    expect(invalid).toMatchObject({ retryable: false, code: '21211' });
  });

  it('a wrong auth token is permanent (20003) and sends nothing', async () => {
    const before = wire.messages.length;
    const err = await sendError(twilioSender({ authToken: 'wrong' }).send({ to: '+15550100205', body: 'x', idempotencyKey: key() }));
    expect(err).toMatchObject({ retryable: false, code: '20003' });
    expect(wire.messages.length).toBe(before);
  });

  it('a slow answer is a retryable timeout; the retry gets the message Twilio already made, not a second one', async () => {
    const k = key();
    const before = wire.messages.length;
    wire.fail({ kind: 'slow', ms: 800 });
    const err = await sendError(twilioSender({ timeoutMs: 150 }).send({ to: '+15550100206', body: 'x', idempotencyKey: k }));
    expect(err).toMatchObject({ retryable: true, code: 'timeout' });
    const retry = await twilioSender().send({ to: '+15550100206', body: 'x', idempotencyKey: k });
    expect(wire.messages.length).toBe(before + 1);
    expect(retry.providerId).toBe(wire.messages.at(-1)!.sid);
  });

  it('an unreachable Twilio is a retryable network error', async () => {
    const closed = new TwilioWireServer();
    const url = await closed.start();
    await closed.stop();
    const err = await sendError(createTwilioSmsSender({ accountSid: 'AC1', authToken: 't', from: '+15005550006', apiUrl: url }).send({ to: '+15550100207', body: 'x', idempotencyKey: key() }));
    expect(err).toMatchObject({ retryable: true, code: 'network' });
  });
});
