import { describe, expect, it } from 'vitest';
import { computeSlackSignature, slackSignatureRefusal } from './verify-slack-signature.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweebhook';

describe('slackSignatureRefusal', () => {
  const now = 1_700_000_000_000;
  const ts = String(now / 1000);

  it('accepts the signature Slack would compute', () => {
    const signature = computeSlackSignature(secret, ts, body);
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: ts, signature, nowMs: now })).toBeNull();
  });

  it('refuses a body changed after signing', () => {
    const signature = computeSlackSignature(secret, ts, body);
    expect(
      slackSignatureRefusal({ signingSecret: secret, rawBody: `${body}x`, timestamp: ts, signature, nowMs: now }),
    ).toBe('signature mismatch');
  });

  it('refuses a signature made with another secret', () => {
    const signature = computeSlackSignature('other', ts, body);
    expect(slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: ts, signature, nowMs: now })).toBe(
      'signature mismatch',
    );
  });

  it('refuses missing headers', () => {
    expect(slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: undefined, signature: 'v0=1', nowMs: now })).toMatch(/Timestamp/);
    expect(slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: ts, signature: undefined, nowMs: now })).toMatch(/Signature/);
  });

  it('refuses a correctly signed request older than five minutes, and one from the future', () => {
    const old = String(now / 1000 - 301);
    expect(
      slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: old, signature: computeSlackSignature(secret, old, body), nowMs: now }),
    ).toMatch(/5 minutes/);
    const future = String(now / 1000 + 301);
    expect(
      slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: future, signature: computeSlackSignature(secret, future, body), nowMs: now }),
    ).toMatch(/5 minutes/);
    const edge = String(now / 1000 - 299);
    expect(
      slackSignatureRefusal({ signingSecret: secret, rawBody: body, timestamp: edge, signature: computeSlackSignature(secret, edge, body), nowMs: now }),
    ).toBeNull();
  });
});
