import type { NotificationEngineDeps } from './notification-engine-deps.js';
import { runFromRow, type RunRow } from './notification-run.js';
import { RunLeaseLostError, runNotificationSteps } from './run-notification-steps.js';

/** How long a claimed run is this walker's; past it (a crashed process), another may take it. */
export const RUN_LEASE_MS = 2 * 60_000;
/** Tries of a failing run before it is marked failed. */
export const MAX_RUN_ATTEMPTS = 5;

const backoffMs = (attempt: number) => Math.min(60_000 * 2 ** (attempt - 1), 3_600_000);

/**
 * Walks the runs that are due (scheduled and due by the clock, or running under a lease that has
 * run out), at most `limit` (50) of them, each claimed under a lease so two walkers never take
 * the same one. A run that throws is tried again after a growing pause, and after
 * MAX_RUN_ATTEMPTS tries is marked failed with the error in outcome_detail. Returns how many
 * runs were claimed.
 */
export async function runDueNotifications(deps: NotificationEngineDeps, options: { limit?: number } = {}): Promise<number> {
  const now = deps.clock.now();
  const lease = new Date(now.getTime() + RUN_LEASE_MS);
  const { rows } = await deps.db.query<RunRow>(
    `UPDATE notification_runs SET status = 'running', lease_until = $2, attempts = attempts + 1, updated_at = now()
      WHERE id IN (SELECT id FROM notification_runs
                    WHERE (status = 'scheduled' AND due_at <= $1) OR (status = 'running' AND lease_until < $1)
                    ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now.toISOString(), lease.toISOString(), Math.max(1, options.limit ?? 50)],
  );
  for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
    const run = runFromRow(row);
    try {
      await runNotificationSteps(deps, run, lease);
    } catch (err) {
      if (err instanceof RunLeaseLostError) continue;
      const message = err instanceof Error ? err.message : String(err);
      const failed = run.attempts >= MAX_RUN_ATTEMPTS;
      await deps.db.query(
        `UPDATE notification_runs SET status = $3, due_at = $4, lease_until = NULL, outcome_detail = $5, updated_at = now()
          WHERE id = $1 AND status = 'running' AND lease_until = $2`,
        [run.id, lease.toISOString(), failed ? 'failed' : 'scheduled', new Date(now.getTime() + backoffMs(run.attempts)).toISOString(),
          failed ? `failed after ${run.attempts} attempts: ${message}` : `attempt ${run.attempts} failed: ${message}`],
      );
    }
  }
  return rows.length;
}
