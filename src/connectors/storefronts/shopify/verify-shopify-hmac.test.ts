import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyShopifyHmac } from './verify-shopify-hmac.js';

describe('verifyShopifyHmac', () => {
  const body = Buffer.from('{"id":820982911946154508,"email":"jon@example.com"}');
  const good = createHmac('sha256', 'app-secret').update(body).digest('base64');

  it('accepts base64 HMAC-SHA256 of the raw bytes under the secret', () => {
    expect(verifyShopifyHmac(body, good, 'app-secret')).toBe(true);
  });

  it('refuses another secret, other bytes, a hex digest, a missing or repeated header', () => {
    expect(verifyShopifyHmac(body, good, 'other-secret')).toBe(false);
    expect(verifyShopifyHmac(Buffer.from(body.toString().replace('jon', 'jan')), good, 'app-secret')).toBe(false);
    expect(verifyShopifyHmac(body, createHmac('sha256', 'app-secret').update(body).digest('hex'), 'app-secret')).toBe(false);
    expect(verifyShopifyHmac(body, undefined, 'app-secret')).toBe(false);
    expect(verifyShopifyHmac(body, '', 'app-secret')).toBe(false);
    expect(verifyShopifyHmac(body, [good, good], 'app-secret')).toBe(false);
  });
});
