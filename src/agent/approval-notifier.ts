import type { ApprovalView } from './approval-view.js';
import { defaultLogger, logLine } from '../config/logger.js';

/**
 * Hooks that channels implement to follow an approval's life. Each is called after the change
 * it reports has committed; a hook that throws is logged and never undoes the decision.
 */
export interface ApprovalNotifier {
  /** A risky call became a pending approval: post it where an approver will see it. */
  created?(approval: ApprovalView): Promise<void>;
  /** An approver approved (the action ran: status executed or failed) or rejected it. */
  decided?(approval: ApprovalView): Promise<void>;
  /** Nobody decided before `expiresAt`; the action will never run. */
  expired?(approval: ApprovalView): Promise<void>;
}

/** One notifier that calls each given notifier in turn. */
export function composeNotifiers(...notifiers: (ApprovalNotifier | undefined)[]): ApprovalNotifier {
  const list = notifiers.filter((n): n is ApprovalNotifier => n !== undefined);
  return {
    created: async (a) => {
      for (const n of list) await n.created?.(a);
    },
    decided: async (a) => {
      for (const n of list) await n.decided?.(a);
    },
    expired: async (a) => {
      for (const n of list) await n.expired?.(a);
    },
  };
}

/** Calls a hook, logging rather than propagating its failure. */
export async function notifySafely(
  hook: ((a: ApprovalView) => Promise<void>) | undefined,
  approval: ApprovalView,
  log: (msg: string) => void = logLine(defaultLogger().child({ component: 'approvals' }), 'warn'),
): Promise<void> {
  if (!hook) return;
  try {
    await hook(approval);
  } catch (err) {
    log(`approval notifier failed for ${approval.id}: ${(err as Error).message}`);
  }
}
