/** One committed outbox row as its handlers see it. */
export interface OutboxEvent<P = Record<string, unknown>> {
  id: number;
  topic: string;
  payload: P;
}

/** Handles one event; throwing makes the event retry (from this handler on; the ones after it wait). */
export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

/**
 * A handler subscribed to one topic under a stable name. The name keys the handler's done marker
 * (outbox_handled), so a retried event skips the handlers that already ran; renaming a handler
 * makes it run again for every event still open.
 */
export interface OutboxSubscriber {
  topic: string;
  name: string;
  handle: OutboxHandler;
}
