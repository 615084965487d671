import type { Db } from '../db/db.js';

/**
 * Claims this period's run of a periodic task for `holder`: true for exactly one caller per
 * period across every process on the database, by the database's clock. A period counts as over
 * a little early (`slack`), so the timers of the process that ran last do not lose to jitter.
 */
export async function claimScheduledRun(db: Db, name: string, periodMs: number, holder: string, slack = 0.1): Promise<boolean> {
  const { rows } = await db.query<{ name: string }>(
    `INSERT INTO schedule_runs (name, last_run_at, holder) VALUES ($1, now(), $3)
     ON CONFLICT (name) DO UPDATE SET last_run_at = now(), holder = $3
       WHERE schedule_runs.last_run_at <= now() - make_interval(secs => $2)
     RETURNING name`,
    [name, (periodMs * (1 - slack)) / 1000, holder],
  );
  return rows.length > 0;
}
