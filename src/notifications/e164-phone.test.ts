import { describe, expect, it } from 'vitest';
import { e164Phone } from './e164-phone.js';

describe('e164Phone', () => {
  it('reads US and Canadian numbers in their usual spellings', () => {
    for (const raw of ['(555) 234-5678', '555-234-5678', '555.234.5678', '1 555 234 5678', '+1 555 234 5678', '5552345678']) {
      expect(e164Phone(raw, 'USA')).toBe('+15552345678');
    }
    expect(e164Phone('416 555 0199', 'Canada')).toBe('+14165550199');
  });

  it('keeps a number written with its country code whatever the shipping country', () => {
    expect(e164Phone('+44 20 7946 0958', 'US')).toBe('+442079460958');
    expect(e164Phone('0044 20 7946 0958', null)).toBe('+442079460958');
    expect(e164Phone('011 44 20 7946 0958', 'US')).toBe('+442079460958');
  });

  it('drops the trunk zero of a national number in a country whose plan it knows', () => {
    expect(e164Phone('07700 900123', 'United Kingdom')).toBe('+447700900123');
    expect(e164Phone('0412 345 678', 'AU')).toBe('+61412345678');
  });

  it('is null when unsure', () => {
    expect(e164Phone(null, 'US')).toBeNull();
    expect(e164Phone('', 'US')).toBeNull();
    expect(e164Phone('call me', 'US')).toBeNull();
    expect(e164Phone('555-234-5678 x12', 'US')).toBeNull();
    expect(e164Phone('234-5678', 'US')).toBeNull(); // no area code
    expect(e164Phone('155-234-5678', 'US')).toBeNull(); // area codes do not start with 1
    expect(e164Phone('+1 555 234 567', 'US')).toBeNull(); // a digit short
    expect(e164Phone('030 1234567', 'Germany')).toBeNull(); // a plan we do not read
    expect(e164Phone('5552345678', null)).toBeNull(); // no country to read it by
  });
});
