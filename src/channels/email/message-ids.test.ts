import { describe, expect, it } from 'vitest';
import { newMessageId, normalizeMessageId, parseMessageIdList } from './message-ids.js';

describe('message ids', () => {
  it('puts a bare id into angle brackets and keeps a bracketed one', () => {
    expect(normalizeMessageId('abc@example.com')).toBe('<abc@example.com>');
    expect(normalizeMessageId('  <abc@example.com> ')).toBe('<abc@example.com>');
    expect(normalizeMessageId('')).toBeNull();
    expect(normalizeMessageId('two words')).toBeNull();
  });

  it('reads a folded References header in order without repeats', () => {
    const refs = '<a@x.com>\r\n <b@x.com>\t<a@x.com> <c@y.org>';
    expect(parseMessageIdList(refs)).toEqual(['<a@x.com>', '<b@x.com>', '<c@y.org>']);
    expect(parseMessageIdList(undefined)).toEqual([]);
    expect(parseMessageIdList('bare@id')).toEqual(['<bare@id>']);
  });

  it('mints ids in the support domain', () => {
    const id = newMessageId('help@shop.example');
    expect(id).toMatch(/^<[0-9a-f-]{36}@shop\.example>$/);
    expect(newMessageId('help@shop.example')).not.toBe(id);
  });
});
