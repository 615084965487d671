import { describe, expect, it } from 'vitest';
import { centsToNumeric, fromCents, roundMoney, toCents } from './money.js';

describe('money', () => {
  it('parses NUMERIC strings exactly', () => {
    expect(toCents('206.60')).toBe(20660);
    expect(toCents('0.05')).toBe(5);
    expect(toCents('12')).toBe(1200);
    expect(toCents('-3.10')).toBe(-310);
  });

  it('absorbs floating point noise in numbers', () => {
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(toCents(71.96000000000001)).toBe(7196);
    expect(toCents(0.04999999999999716)).toBe(5);
  });

  it('round-trips through the database form', () => {
    for (const c of [0, 5, 99, 100, 20660, -310]) expect(toCents(centsToNumeric(c))).toBe(c);
    expect(centsToNumeric(5)).toBe('0.05');
    expect(centsToNumeric(-310)).toBe('-3.10');
    expect(fromCents(20660)).toBe(206.6);
    expect(roundMoney('47.00')).toBe(47);
  });

  it('rejects what is not an amount', () => {
    expect(() => toCents('12,50')).toThrow(/not an amount/);
    expect(() => toCents(Number.NaN)).toThrow(/finite/);
  });
});
