import type { WebClient } from '@slack/web-api';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUES } from '../../jobs/queue-names.js';
import type { SlackApprovalsPort } from './slack-agent-port.js';
import type { SlackApproverCheck } from './slack-approver-check.js';
import type { SlackJob } from './slack-job.js';

export interface ApprovalPress {
  approvalId: string;
  decision: 'approve' | 'reject';
  user: string;
  channel: string;
  /** Slack's id for this press; a replayed payload carries the same one. */
  actionTs: string;
}

export interface ApprovalPressDeps {
  client: WebClient;
  queue: JobQueue;
  approvals: SlackApprovalsPort;
  approverCheck: SlackApproverCheck;
}

/**
 * Handles an Approve or Reject press after it was acknowledged: refuses a presser who may not
 * decide with an ephemeral reason, and otherwise queues the decision. The decision itself is
 * exactly-once in the approval service, so a second press or a replay runs nothing.
 */
export async function handleApprovalPress(deps: ApprovalPressDeps, press: ApprovalPress): Promise<'refused' | 'queued' | 'unknown'> {
  const approval = await deps.approvals.getApproval(press.approvalId);
  const tell = (text: string) => deps.client.chat.postEphemeral({ channel: press.channel, user: press.user, text });
  if (!approval) {
    await tell(`Approval ${press.approvalId} does not exist any more.`);
    return 'unknown';
  }
  const verdict = await deps.approverCheck.check(press.user, { requirePerson: approval.persona === 'customer' });
  if (!verdict.allowed) {
    await tell(verdict.reason);
    return 'refused';
  }
  const job: SlackJob = { kind: 'decision', approvalId: press.approvalId, decision: press.decision, user: press.user, channel: press.channel };
  await deps.queue.enqueue(QUEUES.slackTurn, job, {
    jobId: `decision:${press.approvalId}:${press.user}:${press.actionTs}`,
    attempts: 1,
  });
  return 'queued';
}
