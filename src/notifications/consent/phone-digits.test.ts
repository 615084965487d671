import { describe, expect, it } from 'vitest';
import { phoneDigits, phoneMatchKey } from './phone-digits.js';

describe('phone digits', () => {
  it('keeps only the digits', () => {
    expect(phoneDigits('+1 (555) 010-0199')).toBe('15550100199');
  });

  it('compares a +1 number by its ten national digits however it was written', () => {
    const key = phoneMatchKey('+15550100199');
    for (const written of ['(555) 010-0199', '555.010.0199', '1-555-010-0199', '+1 555 010 0199', '001 555 010 0199']) {
      expect(phoneMatchKey(written)).toBe(key);
    }
    expect(phoneMatchKey('+15550100198')).not.toBe(key);
  });

  it('compares other numbers by their full E.164 digits', () => {
    expect(phoneMatchKey('+44 20 7946 0958')).toBe('442079460958');
    expect(phoneMatchKey('0044 20 7946 0958')).toBe('442079460958');
    // Ten digits after a "+" are a foreign number, not a North American one.
    expect(phoneMatchKey('+4930123456')).toBe('4930123456');
    expect(phoneMatchKey('+4930123456')).not.toBe(phoneMatchKey('4930123456'));
  });

  it('is null for what cannot be a phone number', () => {
    expect(phoneMatchKey('')).toBeNull();
    expect(phoneMatchKey('12345')).toBeNull();
    expect(phoneMatchKey('+1234567890123456')).toBeNull();
  });
});
