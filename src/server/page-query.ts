import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageRequest } from '../domain/paging/page.js';

/** `?limit=&cursor=`, the same on every list endpoint; a list's filters extend it. */
export const pageQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_LIMIT, `must be at most ${MAX_PAGE_LIMIT}`)
    .default(DEFAULT_PAGE_LIMIT)
    .describe(`Items per page, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`),
  cursor: z.string().min(1, 'must not be empty').optional().describe('The next_cursor of the page before; absent for the first page.'),
});

/** The page the parsed query asks for. */
export const pageRequestOf = (q: z.output<typeof pageQuery>): PageRequest => ({ limit: q.limit, cursor: q.cursor ?? null });

/** The wire shape of a page: `{ items, next_cursor }`. */
export function pageJson<T, U>(page: Page<T>, toJson: (item: T) => U): { items: U[]; next_cursor: string | null } {
  return { items: page.items.map(toJson), next_cursor: page.nextCursor };
}

/** The response schema of a list whose items have `item`'s shape, for the OpenAPI document. */
export const pageSchema = <S extends z.ZodType>(item: S) =>
  z.object({
    items: z.array(item),
    next_cursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page.'),
  });
