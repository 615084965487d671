import { describe, expect, it } from 'vitest';
import { maskRecipient } from './mask-recipient.js';

describe('maskRecipient', () => {
  it('keeps the first letter and the domain of a mail address', () => {
    expect(maskRecipient('alice.ng@example.com')).toBe('a***@example.com');
    expect(maskRecipient('a@example.com')).toBe('a***@example.com');
  });

  it('keeps the first two characters and the last four digits of a number', () => {
    expect(maskRecipient('+15551234567')).toBe('+1******4567');
    expect(maskRecipient('+447700900123')).toBe('+4*******0123');
  });

  it('shows nothing of a value too short to mask in part', () => {
    expect(maskRecipient('12345')).toBe('*****');
  });
});
