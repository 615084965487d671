import { describe, expect, it } from 'vitest';
import { pathDeeperThan } from './json-nesting-depth.js';

describe('pathDeeperThan', () => {
  it('is null for input within the limit', () => {
    expect(pathDeeperThan({ a: [{ b: 1 }], c: 'x' }, 3)).toBeNull();
    expect(pathDeeperThan('text', 0)).toBeNull();
  });

  it('names the first value past the limit', () => {
    expect(pathDeeperThan({ a: [{ b: { c: 1 } }] }, 3)).toBe('a.0.b');
  });

  it('walks input nested far past the call stack without throwing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(pathDeeperThan({ deep }, 64)).toMatch(/^deep(\.0)+$/);
  });
});
