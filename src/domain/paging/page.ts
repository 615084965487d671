import { encodePageCursor, type CursorKey } from './page-cursor.js';

/** One page of a list: the items, and the cursor of the next page (null on the last one). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What every list takes: how many items (1..200) and where to start (null: the first page). */
export interface PageRequest {
  limit: number;
  cursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/**
 * Turns the rows of a query that asked for `limit + 1` into a page: the extra row only says that
 * another page exists, and the cursor is the key of the last row shown.
 */
export function takePage<R, T>(list: string, rows: readonly R[], limit: number, keyOf: (row: R) => CursorKey, toItem: (row: R) => T): Page<T> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodePageCursor(list, keyOf(last)) : null,
  };
}
