import { describe, expect, it } from 'vitest';
import { confirmationCodeMatches, findConfirmationCodes, hashConfirmationCode, maskConfirmationCodes, newConfirmationCode } from './confirmation-code.js';

describe('confirmation codes', () => {
  it('are XXXX-XXXX without look-alike characters, and different each time', () => {
    const codes = Array.from({ length: 200 }, newConfirmationCode);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are stored as a salted hash that matches only the same code, however it is typed', async () => {
    const code = newConfirmationCode();
    const stored = await hashConfirmationCode(code);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(code.replace('-', ''));
    expect(stored).not.toBe(await hashConfirmationCode(code));
    expect(await confirmationCodeMatches(code, stored)).toBe(true);
    expect(await confirmationCodeMatches(` ${code.toLowerCase().replace('-', '')} `, stored)).toBe(true);
    expect(await confirmationCodeMatches('2345-6789', stored)).toBe(code === '2345-6789');
    expect(await confirmationCodeMatches(code, 'plain')).toBe(false);
  });

  it('can be blanked out of a text that carried one', () => {
    expect(maskConfirmationCodes('Confirmation code: K7M2-P9QX\nReference apr_1')).toBe('Confirmation code: ****-****\nReference apr_1');
  });

  it('are found in a reply, with or without the dash, but not inside order ids or words', () => {
    expect(findConfirmationCodes('Here it is: abcd-efgh thanks')).toEqual(['ABCD-EFGH']);
    expect(findConfirmationCodes('code ABCD EFGH')).toEqual(['ABCD-EFGH']);
    expect(findConfirmationCodes('K7M2P9QX')).toEqual(['K7M2-P9QX']);
    expect(findConfirmationCodes('order #W1000001 and W2000001')).toEqual([]);
    expect(findConfirmationCodes('YES please')).toEqual([]);
    expect(findConfirmationCodes('AAAA-BBBB CCCC-DDDD EEEE-FFFF GGGG-HHHH')).toHaveLength(3);
    expect(findConfirmationCodes('PLEASE SEND THAT BACK, here: K7M2-P9QX')[0]).toBe('K7M2-P9QX');
  });
});
