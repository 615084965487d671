import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/db.js';
import { isDomainError } from '../../domain/domain-error.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import { agentReplyMessage } from './blocks/agent-reply.js';
import type { SlackAgentPort, SlackApprovalsPort } from './slack-agent-port.js';
import { getSlackAlert, resolveSlackAlertByMessage } from './slack-alert-store.js';
import { findSlackApprovalMessage } from './slack-approval-messages.js';
import { slackRequesterVerification } from './slack-requester-verification.js';
import type { SlackJob } from './slack-job.js';
import { cardsForReply } from './slack-reply-cards.js';
import { parseSlackThreadKey, slackThreadKey } from './slack-thread-key.js';
import { followSlackThread } from './slack-thread-registry.js';

export interface SlackJobDeps {
  db: Db;
  client: WebClient;
  agent: SlackAgentPort;
  approvals: SlackApprovalsPort;
  log?: (msg: string) => void;
  /** Resolves when inbound Slack requests have quietened, so acks go before this work. */
  inboundLull?: () => Promise<void>;
}

/**
 * Runs the work Slack listeners queue: agent turns (reply in the same thread), approval
 * decisions (the agent's follow-up in the origin thread) and alert buttons (an approval in the
 * alert's thread). A failure is told to the person in Slack rather than retried, because a
 * retried turn or decision could repeat an action.
 */
export function createSlackJobHandler(deps: SlackJobDeps): JobHandler<SlackJob> {
  const log = deps.log ?? (() => {});

  async function runTurn(job: Extract<SlackJob, { kind: 'turn' }>): Promise<void> {
    const threadKey = slackThreadKey({ channel: job.channel, threadTs: job.threadTs });
    let message;
    try {
      const result = await deps.agent.runTurn({
        channel: 'slack',
        threadKey,
        text: job.text,
        requester: { kind: 'person', id: job.user },
        verification: slackRequesterVerification(job.user),
        persona: 'ops',
      });
      message = agentReplyMessage(result.reply, await cardsForReply(deps.db, result.reply, result.toolCalls));
    } catch (err) {
      log(`slack turn in ${threadKey} failed: ${(err as Error).stack ?? String(err)}`);
      message = agentReplyMessage(`I could not finish that: ${(err as Error).message}`);
    }
    await deps.client.chat.postMessage({ channel: job.channel, thread_ts: job.threadTs, ...message });
  }

  async function decide(job: Extract<SlackJob, { kind: 'decision' }>): Promise<void> {
    const tell = (text: string) => deps.client.chat.postEphemeral({ channel: job.channel, user: job.user, text });
    let outcome;
    try {
      outcome = await deps.agent.decide({
        id: job.approvalId,
        decision: job.decision,
        decider: { kind: 'person', id: job.user },
        // The Slack approver check (ids and user groups) ran before this job was queued.
        isApprover: true,
      });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      await tell(err.message);
      return;
    }
    if (outcome.alreadyDecided) {
      const a = outcome.approval;
      await tell(`Already decided: ${a.status}${a.decidedBy ? ` by <@${a.decidedBy}>` : ''}. Nothing ran this time.`);
      return;
    }
    const where = await findSlackApprovalMessage(deps.db, job.approvalId);
    if (outcome.status === 'executed' && where) await resolveSlackAlertByMessage(deps.db, where.channel, where.threadTs);
    const followUp = outcome.followUp;
    if (!followUp || !followUp.reply) return;
    const thread =
      (followUp.channel === 'slack' ? parseSlackThreadKey(followUp.threadKey) : null) ??
      (where ? { channel: where.channel, threadTs: where.threadTs } : null);
    if (!thread) return;
    const message = agentReplyMessage(followUp.reply, await cardsForReply(deps.db, followUp.reply, undefined));
    await deps.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, ...message });
  }

  async function openAlertApproval(job: Extract<SlackJob, { kind: 'alert-action' }>): Promise<void> {
    const tell = (text: string) => deps.client.chat.postEphemeral({ channel: job.channel, user: job.user, text });
    const alert = await getSlackAlert(deps.db, job.alertId);
    const action = alert?.actions[job.index];
    if (!alert || !action || !alert.channel || !alert.ts) {
      await tell('That alert or action no longer exists.');
      return;
    }
    if (!deps.approvals.requestApproval) {
      await tell('Opening approvals from alerts is not available in this build.');
      return;
    }
    const thread = { channel: alert.channel, threadTs: alert.ts };
    await followSlackThread(deps.db, thread, job.user);
    try {
      // The approval service posts the request in the alert's thread through the Slack notifier.
      await deps.approvals.requestApproval({
        tool: action.tool,
        args: action.args,
        requester: { kind: 'person', id: job.user },
        persona: 'ops',
        origin: { channel: 'slack', threadKey: slackThreadKey(thread) },
        reason: `${action.label} suggested by alert: ${alert.subject}`,
      });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      await tell(`Could not open an approval for "${action.label}": ${err.message}`);
    }
  }

  return async (job) => {
    // Slack waits 3 s for each ack; during a burst of events, acknowledging them comes before
    // running turns that hold this process's event loop (an embedded database runs on it).
    await (deps.inboundLull?.() ?? new Promise((resolve) => setImmediate(resolve)));
    switch (job.kind) {
      case 'turn':
        return runTurn(job);
      case 'decision':
        return decide(job);
      case 'alert-action':
        return openAlertApproval(job);
    }
  };
}
