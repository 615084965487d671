import { describe, expect, it } from 'vitest';
import { listUnsubscribeHeaders } from './list-unsubscribe-headers.js';

describe('listUnsubscribeHeaders', () => {
  it('offers the one-click link first and a mailto second', () => {
    expect(listUnsubscribeHeaders('https://shop.example/unsubscribe/abc.def', 'support@shop.example')).toEqual({
      'List-Unsubscribe': '<https://shop.example/unsubscribe/abc.def>, <mailto:support@shop.example?subject=unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('refuses a link a client cannot POST to', () => {
    expect(() => listUnsubscribeHeaders('mailto:x@y', 'support@shop.example')).toThrow(/http/);
  });
});
