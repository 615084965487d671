import { describe, expect, it } from 'vitest';
import { wpSpecialcharsDecode } from './wp-specialchars-decode.js';

describe('wpSpecialcharsDecode (ENT_QUOTES)', () => {
  it('decodes the five special characters in named and numeric spellings', () => {
    expect(wpSpecialcharsDecode('a&amp;b&lt;c&gt;d&quot;e&#039;f')).toBe(`a&b<c>d"e'f`);
    expect(wpSpecialcharsDecode('&#38;&#x26;&#0060;&#x00027;&#34;')).toBe(`&&<'"`);
  });

  it('leaves other entities and plain text alone', () => {
    expect(wpSpecialcharsDecode('&nbsp;&eacute;&#65;')).toBe('&nbsp;&eacute;&#65;');
    expect(wpSpecialcharsDecode(`plain & <raw> "chars" 'here'`)).toBe(`plain & <raw> "chars" 'here'`);
  });

  it('decodes once, left to right, as strtr does', () => {
    expect(wpSpecialcharsDecode('&amp;lt;')).toBe('&lt;');
    expect(wpSpecialcharsDecode('&amp;amp;')).toBe('&amp;');
  });
});
