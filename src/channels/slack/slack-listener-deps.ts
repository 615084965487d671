import type { Db } from '../../db/db.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { SlackApprovalsPort } from './slack-agent-port.js';
import type { SlackApproverCheck } from './slack-approver-check.js';
import type { SlackOpsAccess } from './slack-ops-access.js';

/** What every listener may call; listeners hold no state of their own. */
export interface SlackListenerDeps {
  db: Db;
  queue: JobQueue;
  approvals: SlackApprovalsPort;
  approverCheck: SlackApproverCheck;
  /** Who may talk to the ops agent, and where; checked before any work is queued. */
  access: SlackOpsAccess;
  log: (msg: string) => void;
}
