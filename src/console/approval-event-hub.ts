import type { ApprovalNotifier } from '../agent/approval-notifier.js';
import type { ApprovalView } from '../agent/approval-view.js';

/** One change in an approval's life, as the console's live stream sends it. */
export interface ApprovalEvent {
  type: 'approval.created' | 'approval.decided' | 'approval.expired';
  approval_id: string;
  status: ApprovalView['status'];
  order_id: string | null;
}

export interface ApprovalEventHub {
  /** The notifier to hand to addApprovalNotifier: it publishes each change to every subscriber. */
  notifier: ApprovalNotifier;
  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (event: ApprovalEvent) => void): () => void;
}

/** Fans approval changes heard in this process out to the open console streams. */
export function createApprovalEventHub(): ApprovalEventHub {
  const listeners = new Set<(event: ApprovalEvent) => void>();
  const publish = (type: ApprovalEvent['type']) => async (a: ApprovalView) => {
    const event: ApprovalEvent = { type, approval_id: a.id, status: a.status, order_id: a.preview.orderId ?? null };
    for (const listener of listeners) listener(event);
  };
  return {
    notifier: { created: publish('approval.created'), decided: publish('approval.decided'), expired: publish('approval.expired') },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
