import { describe, expect, it } from 'vitest';
import { truncate } from './truncate.js';

describe('truncate', () => {
  it('returns text at or under the limit unchanged', () => {
    expect(truncate('abcde', 5)).toBe('abcde');
    expect(truncate('', 3)).toBe('');
  });

  it('cuts longer text to exactly the limit, the last character an ellipsis', () => {
    const cut = truncate('abcdefgh', 5);
    expect(cut).toBe('abcd…');
    expect(cut).toHaveLength(5);
  });
});
