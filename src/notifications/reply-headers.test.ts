import { describe, expect, it } from 'vitest';
import { automaticMailHeaders, replyReferences, replySubject } from './reply-headers.js';

describe('reply headers', () => {
  it('prefixes Re: once', () => {
    expect(replySubject('Where is my order?')).toBe('Re: Where is my order?');
    expect(replySubject('RE: Where')).toBe('RE: Where');
    expect(replySubject('  ')).toBe('Re: your message');
  });

  it('chains References to the parent and keeps root and recent ids when long', () => {
    expect(replyReferences({ messageId: '<c>', referenceIds: ['<a>', '<b>'] })).toEqual(['<a>', '<b>', '<c>']);
    const long = Array.from({ length: 30 }, (_, i) => `<m${i}>`);
    const refs = replyReferences({ messageId: '<last>', referenceIds: long });
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('<m0>');
    expect(refs.at(-1)).toBe('<last>');
  });

  it('marks automatic mail', () => {
    expect(automaticMailHeaders('auto-replied')['Auto-Submitted']).toBe('auto-replied');
  });
});
