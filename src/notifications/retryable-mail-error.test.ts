import { describe, expect, it } from 'vitest';
import { isRetryableMailError } from './retryable-mail-error.js';

const smtpError = (responseCode: number) => Object.assign(new Error(`${responseCode} reply`), { responseCode });

describe('isRetryableMailError', () => {
  it('gives up on a 5xx reply and retries a 4xx one', () => {
    expect(isRetryableMailError(smtpError(550))).toBe(false);
    expect(isRetryableMailError(smtpError(554))).toBe(false);
    expect(isRetryableMailError(smtpError(451))).toBe(true);
    expect(isRetryableMailError(smtpError(421))).toBe(true);
  });

  it('retries a connection that failed before any reply', () => {
    expect(isRetryableMailError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }))).toBe(true);
  });
});
