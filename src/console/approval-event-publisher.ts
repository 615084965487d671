import type { ApprovalNotifier } from '../agent/approval-notifier.js';
import type { ApprovalView } from '../agent/approval-view.js';
import type { Db } from '../db/db.js';
import { APPROVAL_EVENTS_CHANNEL, approvalEventOf, type ApprovalEvent } from './approval-event.js';

/**
 * The notifier every orderops process registers, API and worker alike: it announces each approval
 * change with pg_notify, so the console streams of every API process on the database hear it,
 * this process's own included (they hear it back through their LISTEN, not from here).
 */
export function approvalEventPublisher(db: Db): ApprovalNotifier {
  const publish = (type: ApprovalEvent['type']) => async (approval: ApprovalView) => {
    await db.query('SELECT pg_notify($1, $2)', [APPROVAL_EVENTS_CHANNEL, JSON.stringify(approvalEventOf(type, approval))]);
  };
  return { created: publish('approval.created'), decided: publish('approval.decided'), expired: publish('approval.expired') };
}
