import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWooCommerceSignature, wooCommerceSignature } from './woocommerce-webhook-signature.js';

describe('X-WC-Webhook-Signature', () => {
  const body = Buffer.from('{"id":727,"status":"processing"}');

  it('is base64 of the raw HMAC-SHA256 of the body', () => {
    const expected = createHmac('sha256', 'plain-secret').update(body).digest('base64');
    expect(wooCommerceSignature(body, 'plain-secret')).toBe(expected);
    expect(verifyWooCommerceSignature(body, expected, 'plain-secret')).toBe(true);
  });

  it('keys the HMAC with the secret after wp_specialchars_decode, so an entity-encoded secret signs as its characters', () => {
    const characters = `s&<>"'x`;
    const raw = createHmac('sha256', characters).update(body).digest('base64');
    expect(wooCommerceSignature(body, characters)).toBe(raw);
    expect(wooCommerceSignature(body, 's&amp;&lt;&gt;&quot;&#039;x')).toBe(raw);
  });

  it('refuses a missing, altered or differently keyed signature', () => {
    const good = wooCommerceSignature(body, 'k');
    expect(verifyWooCommerceSignature(body, undefined, 'k')).toBe(false);
    expect(verifyWooCommerceSignature(Buffer.from('{"id":728,"status":"processing"}'), good, 'k')).toBe(false);
    expect(verifyWooCommerceSignature(body, good, 'other')).toBe(false);
  });
});
