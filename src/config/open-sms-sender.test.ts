import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioWireServer } from '../../test/support/twilio-wire-server.js';
import { loadConfig } from './config.js';
import { openSmsSender } from './open-sms-sender.js';

describe('openSmsSender', () => {
  const wire = new TwilioWireServer();
  let apiUrl = '';
  beforeAll(async () => {
    apiUrl = await wire.start();
  });
  afterAll(() => wire.stop());
  const base = () => ({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-open-sms-')) });

  it('writes files under DATA_DIR when Twilio is not configured', () => {
    expect(openSmsSender(loadConfig(base())).kind).toBe('outbox');
  });

  it('sends through Twilio at TWILIO_API_URL with the configured account and sender', async () => {
    const sender = openSmsSender(loadConfig({
      ...base(),
      TWILIO_ACCOUNT_SID: wire.accountSid,
      TWILIO_AUTH_TOKEN: wire.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: `${apiUrl}/`,
    }));
    expect(sender.kind).toBe('twilio');
    const r = await sender.send({ to: '+15550100401', body: 'hello', idempotencyKey: 'open-sms-1' });
    expect(wire.messages.find((m) => m.sid === r.providerId)).toMatchObject({ to: '+15550100401', from: '+15005550006' });
  });
});
