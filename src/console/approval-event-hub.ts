import type { ApprovalEvent } from './approval-event.js';

export interface ApprovalEventHub {
  /** Hands `event` to every subscriber of this process. */
  publish(event: ApprovalEvent): void;
  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (event: ApprovalEvent) => void): () => void;
}

/**
 * Fans approval events out to the console streams open in this process. It is fed by the
 * database subscription alone (approval-event-subscription.ts), never by this process's notifiers
 * directly, so an event reaches each stream once, wherever it happened.
 */
export function createApprovalEventHub(): ApprovalEventHub {
  const listeners = new Set<(event: ApprovalEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
