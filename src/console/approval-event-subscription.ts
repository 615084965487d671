import type { Db, Unlisten } from '../db/db.js';
import { APPROVAL_EVENTS_CHANNEL, parseApprovalEvent } from './approval-event.js';
import type { ApprovalEventHub } from './approval-event-hub.js';

/**
 * Feeds `hub` with the approval events every orderops process on `db` announces. On PostgreSQL the
 * LISTEN connection may drop; it is taken again with backoff while the API keeps serving, and the
 * events of that gap are not replayed (NOTIFY keeps none): the console re-reads its lists when
 * its own stream reconnects, and a page left open sees the next change. Resolves once listening
 * (or once the first try failed and retries run in the background).
 */
export async function subscribeToApprovalEvents(db: Db, hub: ApprovalEventHub, log: (line: string) => void): Promise<Unlisten> {
  let dropped = false;
  return db.listen(
    APPROVAL_EVENTS_CHANNEL,
    (payload) => {
      const event = parseApprovalEvent(payload);
      if (event) hub.publish(event);
    },
    {
      onListening: () => {
        if (dropped) log('console: live approval updates listening again');
        dropped = false;
      },
      onError: (err, retryInMs) => {
        dropped = true;
        log(`console: live approval updates paused (${err.message}); listening again in ${(retryInMs / 1000).toFixed(1)} s`);
      },
    },
  );
}
