import type { ApprovalStatus, ApprovalView } from '../../agent/approval-view.js';
import type { RequesterVerification } from '../../agent/requester-verification.js';
import type { Actor } from '../../domain/actor.js';

/**
 * The part of the agent and approval services the Slack channel calls. The real
 * `AgentService` / `ApprovalService` (src/agent/) satisfy it; Slack never runs a model or a tool
 * itself.
 */
export interface SlackAgentPort {
  runTurn(input: {
    channel: 'slack';
    threadKey: string;
    text: string;
    requester: Actor;
    verification: RequesterVerification;
    persona: 'ops';
  }): Promise<{ reply: string; approvals: ApprovalView[]; handedOff?: boolean; toolCalls?: unknown }>;
  decide(input: {
    id: string;
    decision: 'approve' | 'reject';
    decider: Actor;
    isApprover?: boolean;
    reason?: string;
  }): Promise<{
    status: ApprovalStatus;
    alreadyDecided: boolean;
    approval: ApprovalView;
    followUp: { reply: string; channel: string; threadKey: string } | null;
  }>;
}

export interface SlackApprovalsPort {
  listApprovals(filter?: { status?: ApprovalStatus; limit?: number }): Promise<ApprovalView[]>;
  getApproval(id: string): Promise<ApprovalView | null>;
  /** Opens an approval for an alert's suggested action (absent until the approval service offers it). */
  requestApproval?(input: {
    tool: string;
    args: Record<string, unknown>;
    requester: Actor;
    persona: 'ops';
    origin: { channel: string; threadKey: string };
    reason: string;
  }): Promise<ApprovalView>;
}
