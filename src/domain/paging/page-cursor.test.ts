import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor, InvalidCursorError } from './page-cursor.js';
import { takePage } from './page.js';

describe('page cursors', () => {
  it('read back the key they were made from, for their own list only', () => {
    const cursor = encodePageCursor('orders', ['1700000000123456', 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageCursor('orders', cursor, ['string', 'number'])).toEqual(['1700000000123456', 42]);
    expect(() => decodePageCursor('flags', cursor, ['string', 'number'])).toThrow(InvalidCursorError);
    expect(() => decodePageCursor('orders', cursor, ['number', 'number'])).toThrow(InvalidCursorError);
    for (const junk of ['', 'not a cursor', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[').toString('base64url')]) {
      expect(() => decodePageCursor('orders', junk, ['string', 'number'])).toThrow(InvalidCursorError);
    }
  });

  it('name the cursor parameter when refused', () => {
    try {
      decodePageCursor('orders', 'x!', ['number']);
    } catch (err) {
      expect(err).toMatchObject({ type: 'invalid', code: 'invalid_cursor', issues: [{ path: 'cursor' }] });
    }
  });

  it('give a next cursor only when a row beyond the page was read', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const page = takePage('t', rows, 2, (r) => [r.id], (r) => r.id);
    expect(page.items).toEqual([1, 2]);
    expect(decodePageCursor('t', page.nextCursor!, ['number'])).toEqual([2]);
    expect(takePage('t', rows, 3, (r) => [r.id], (r) => r.id).nextCursor).toBeNull();
  });
});
