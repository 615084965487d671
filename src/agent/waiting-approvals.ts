import type { Db } from '../db/db.js';
import type { WaitingApprovals } from '../tools/tool.js';
import { toApprovalView, type ApprovalRow, type ApprovalView } from './approval-view.js';

/**
 * Approvals that can still run: pending and not past their expiry (an expired one is refused
 * when someone decides it, even before the sweep marks it).
 */
export async function listWaitingApprovals(db: Db, filter: Parameters<WaitingApprovals>[0]): Promise<ApprovalView[]> {
  const { rows } = await db.query<ApprovalRow>(
    `SELECT * FROM approvals
      WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at > now()
        AND ($1::text IS NULL OR tool = $1)
        AND ($2::text IS NULL OR preview->>'orderId' = $2)
        AND ($3::jsonb IS NULL OR args @> $3::jsonb)
      ORDER BY created_at, id`,
    [filter.tool ?? null, filter.orderId ?? null, filter.args ? JSON.stringify(filter.args) : null],
  );
  return rows.map(toApprovalView);
}
