import { DomainError } from '../domain-error.js';

/**
 * Where a keyset page ends: the list's name and the values of its ORDER BY columns for the last
 * item shown. The next page starts strictly after it, so rows added or removed meanwhile never
 * shift an item onto two pages.
 */
export type CursorKey = readonly (string | number)[];

/** A cursor that cannot be read back: 400, naming the `cursor` parameter. */
export class InvalidCursorError extends DomainError {
  readonly issues = [{ path: 'cursor', message: 'is not a cursor this list gave out (pass the next_cursor of the page before, unchanged)' }];
  constructor(list: string) {
    super('invalid', 'invalid_cursor', `the cursor is not a ${list} cursor: pass the next_cursor of the page before, unchanged`);
  }
}

/** The opaque form of a position: base64url of JSON, tagged with the list so one list's cursor is refused by another. */
export function encodePageCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/** Reads back a cursor of `list` whose key has the given column types, or throws InvalidCursorError. */
export function decodePageCursor(list: string, cursor: string, shape: readonly ('string' | 'number')[]): CursorKey {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(list);
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== shape.length + 1) throw new InvalidCursorError(list);
  const key = parsed.slice(1) as unknown[];
  const fits = key.every((v, i) => (shape[i] === 'number' ? Number.isSafeInteger(v) : typeof v === 'string'));
  if (!fits) throw new InvalidCursorError(list);
  return key as CursorKey;
}
