import type { Db } from '../../db/db.js';
import { decodePageCursor } from '../../domain/paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../../domain/paging/page.js';
import { toAnomalyFlag, type AnomalyFlag, type FlagCategory, type FlagRow, type FlagStatus } from './anomaly-flag.js';

export interface FlagPageFilter {
  /** Default: every status; `unresolved` is open plus acknowledged. */
  status?: FlagStatus | 'unresolved';
  rule?: string;
  category?: FlagCategory;
}

const LIST = 'flags';

/**
 * Flags newest raised first, a page at a time. Keyed by id rather than last_seen_at, which moves
 * each time a flag fires again and would carry it from one page onto the next.
 */
export async function listFlagsPage(db: Db, filter: FlagPageFilter, page: PageRequest): Promise<Page<AnomalyFlag>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.status === 'unresolved') where.push(`status <> 'resolved'`);
  else if (filter.status) where.push(`status = ${param(filter.status)}`);
  if (filter.rule) where.push(`rule = ${param(filter.rule)}`);
  if (filter.category) where.push(`category = ${param(filter.category)}`);
  if (page.cursor !== null) {
    const [id] = decodePageCursor(LIST, page.cursor, ['number']);
    where.push(`id < ${param(id)}`);
  }
  const { rows } = await db.query<FlagRow>(
    `SELECT * FROM anomaly_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ${param(page.limit + 1)}`,
    params,
  );
  return takePage(LIST, rows, page.limit, (r) => [Number(r.id)], toAnomalyFlag);
}
