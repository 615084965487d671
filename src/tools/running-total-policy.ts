import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { ToolPolicy, WaitingApprovals } from './tool.js';

/**
 * A limit on a running total rather than on one call, so a change split into small calls does
 * not pass it: what the ledger already holds, plus what waits for approval, plus this call. The
 * call that takes the total over the limit needs approval. Each part answers one question.
 */
export interface RunningTotal<A> {
  /** Serialises decisions on this total (see ToolPolicy.lock). */
  lock(args: A, tx: Db): Promise<void>;
  limit(config: Config): number;
  /** What this call adds; null when its size is only known once it runs, which always asks. */
  amount(args: A): number | null;
  /** What the ledger already counts toward the total. */
  recorded(args: A, db: Db): Promise<number>;
  /** What the approvals still waiting would add to it. */
  waiting(args: A, waiting: WaitingApprovals): Promise<number>;
  /** Why the call waits, naming the total it would bring (null for an unsized call) and the limit. */
  reason(args: A, total: number | null, limit: number): string;
}

export function runningTotalPolicy<A>(total: RunningTotal<A>): ToolPolicy<A> {
  return {
    lock: (args, tx) => total.lock(args, tx),
    async check(args, ctx, waiting) {
      const limit = total.limit(ctx.config);
      const amount = total.amount(args);
      if (amount === null) return total.reason(args, null, limit);
      const sum = (await total.recorded(args, ctx.db)) + (await total.waiting(args, waiting)) + amount;
      return sum > limit ? total.reason(args, sum, limit) : null;
    },
  };
}
