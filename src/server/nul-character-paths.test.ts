import { describe, expect, it } from 'vitest';
import { nulCharacterPaths } from './nul-character-paths.js';

describe('nulCharacterPaths', () => {
  it('names nested fields in document order, with the prefix', () => {
    const body = { a: 'ok', b: { c: 'x\u0000' }, d: [{ e: 'fine' }, { e: '\u0000' }], f: '\u0000' };
    expect(nulCharacterPaths(body)).toEqual(['b.c', 'd.1.e', 'f']);
    expect(nulCharacterPaths({ id: 'W1\u0000' }, 'params')).toEqual(['params.id']);
  });

  it('names a key holding a NUL with the NUL written out', () => {
    expect(nulCharacterPaths({ ['k\u0000']: 1, ok: { ['\u0000']: '\u0000' } })).toEqual(['k\\u0000', 'ok.\\u0000', 'ok.\\u0000']);
  });

  it('names a bare string body (body)', () => {
    expect(nulCharacterPaths('raw\u0000body')).toEqual(['(body)']);
  });

  it('ignores numbers, booleans, null and clean strings', () => {
    expect(nulCharacterPaths({ a: 1, b: true, c: null, d: 'clean', e: [] })).toEqual([]);
    expect(nulCharacterPaths(undefined)).toEqual([]);
  });

  it('stops at 20 paths', () => {
    expect(nulCharacterPaths(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
  });
});
