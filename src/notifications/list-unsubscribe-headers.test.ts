import { describe, expect, it } from 'vitest';
import { listUnsubscribeHeaders } from './list-unsubscribe-headers.js';

describe('listUnsubscribeHeaders', () => {
  it('offers the one-click link, and only it', () => {
    expect(listUnsubscribeHeaders('https://shop.example/unsubscribe/abc.def')).toEqual({
      'List-Unsubscribe': '<https://shop.example/unsubscribe/abc.def>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('refuses a link a client cannot POST to', () => {
    expect(() => listUnsubscribeHeaders('mailto:x@y')).toThrow(/http/);
  });
});
