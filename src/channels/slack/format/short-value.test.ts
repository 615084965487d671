import { describe, expect, it } from 'vitest';
import { shortValue } from './short-value.js';

describe('shortValue', () => {
  it('shows a dash for missing values', () => {
    expect(shortValue(null)).toBe('—');
    expect(shortValue(undefined)).toBe('—');
  });

  it('shows strings, numbers and booleans as they are', () => {
    expect(shortValue('shipped')).toBe('shipped');
    expect(shortValue(42)).toBe('42');
    expect(shortValue(false)).toBe('false');
  });

  it('shows objects as JSON cut to 200 characters', () => {
    expect(shortValue({ a: 1 })).toBe('{"a":1}');
    const long = shortValue({ note: 'x'.repeat(500) });
    expect(long).toHaveLength(200);
    expect(long.startsWith('{"note":"xxx')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
  });
});
