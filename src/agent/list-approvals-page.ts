import type { Db } from '../db/db.js';
import { decodePageCursor } from '../domain/paging/page-cursor.js';
import { takePage, type Page, type PageRequest } from '../domain/paging/page.js';
import { timestampFromKeySql, timestampKeySql } from '../domain/paging/timestamp-key.js';
import { toApprovalView, type ApprovalRow, type ApprovalStatus, type ApprovalView } from './approval-view.js';

const LIST = 'approvals';

/**
 * Approvals newest first, a page at a time. The status is the stored one: a pending approval past
 * its expiry shows as pending until the sweep (or a decision) marks it expired.
 */
export async function listApprovalsPage(db: Db, filter: { status?: ApprovalStatus }, page: PageRequest): Promise<Page<ApprovalView>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (filter.status) where.push(`status = ${param(filter.status)}`);
  if (page.cursor !== null) {
    const [created, id] = decodePageCursor(LIST, page.cursor, ['string', 'string']);
    where.push(`(created_at, id) < (${timestampFromKeySql(param(created))}, ${param(id)})`);
  }
  const { rows } = await db.query<ApprovalRow & { created_key: string }>(
    `SELECT *, ${timestampKeySql('created_at')} AS created_key FROM approvals
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ${param(page.limit + 1)}`,
    params,
  );
  return takePage(LIST, rows, page.limit, (r) => [r.created_key, r.id], toApprovalView);
}
