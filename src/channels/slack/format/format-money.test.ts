import { describe, expect, it } from 'vitest';
import { formatMoney } from './format-money.js';

describe('formatMoney', () => {
  it('shows two decimals with the symbol of the common currencies, dollars by default', () => {
    expect(formatMoney(12.5)).toBe('$12.50');
    expect(formatMoney(3, 'EUR')).toBe('€3.00');
    expect(formatMoney(0.1, 'GBP')).toBe('£0.10');
  });

  it('puts the minus sign before the symbol', () => {
    expect(formatMoney(-4.25)).toBe('-$4.25');
  });

  it('reads NUMERIC strings as the database returns them', () => {
    expect(formatMoney('1999.90', 'USD')).toBe('$1999.90');
  });

  it('prefixes other currencies with their code', () => {
    expect(formatMoney(7, 'JPY')).toBe('JPY 7.00');
  });

  it('shows an amount that is not a number as given rather than NaN', () => {
    expect(formatMoney('n/a')).toBe('n/a');
    expect(formatMoney(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
