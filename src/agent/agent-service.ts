import { z } from 'zod';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { DomainError } from '../domain/domain-error.js';
import { standardToolset } from '../tools/standard-toolset.js';
import type { InboxReader, Persona, ToolContext } from '../tools/tool.js';
import type { Toolset } from '../tools/toolset.js';
import type { ApprovalNotifier } from './approval-notifier.js';
import { agentActorFor, createApprovalService, type ApprovalService, type DecideInput, type DecideResult } from './approval-service.js';
import type { ApprovalView } from './approval-view.js';
import {
  appendMessages,
  getConversation,
  loadMessages,
  markHandedOff,
  openConversation,
  recordTurn,
  type Conversation,
} from './conversation-store.js';
import { renderPrompt } from './prompt-library.js';
import { requesterVerificationSchema, type RequesterVerification } from './requester-verification.js';
import type { ChatMessage, ModelProvider } from './providers/model-provider.js';
import { openProvider } from './providers/open-provider.js';
import { runStaffAction, type StaffActionInput, type StaffActionOutcome } from './staff-action.js';
import { executeToolCall } from './tool-executor.js';
import { runTurnLoop, type TurnLoopResult } from './turn-loop.js';

export type AgentChannel = 'slack' | 'email' | 'cli' | 'api';

export interface TurnInput {
  channel: AgentChannel;
  /** Slack: `${channelId}:${thread_ts}`; email: the root Message-ID; cli: any stable key. */
  threadKey: string;
  text: string;
  requester: Actor;
  /** How the channel knows who `requester` is; carried onto every approval the turn opens. */
  verification: RequesterVerification;
  persona: Persona;
  /** Required for the customer persona: the customer the conversation is bound to. */
  customerId?: string;
}

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  iterations: number;
}

export interface TurnResult {
  reply: string;
  approvals: ApprovalView[];
  handedOff: boolean;
  usage: TurnUsage;
  conversationId: number;
  provider: ModelProvider['name'];
  toolCalls: { name: string; isError: boolean; approvalId?: string }[];
}

export interface FollowUp {
  reply: string;
  channel: string;
  threadKey: string;
}

export interface AgentService {
  readonly provider: ModelProvider;
  readonly approvals: ApprovalService;
  runTurn(input: TurnInput): Promise<TurnResult>;
  /**
   * The agent's follow-up in the origin thread after an approval was decided; null when already
   * reported, being reported by another caller, or undecided. Marked reported only when the model
   * call succeeded: when it throws, the next caller can try again.
   */
  resumeAfterDecision(approvalId: string): Promise<FollowUp | null>;
  /** decideApproval, then resumeAfterDecision when this call made the decision. */
  decide(input: DecideInput): Promise<DecideResult & { followUp: FollowUp | null }>;
  /** A person's direct request for a staff action, through the same approval gate as the agent's. */
  act(input: StaffActionInput): Promise<StaffActionOutcome>;
}

export interface AgentServiceDeps {
  db: Db;
  config: Config;
  provider?: ModelProvider;
  notifier?: ApprovalNotifier;
  /** Replaces the standard toolsets (evals and custom deployments use it). */
  toolsetFor?: (persona: Persona, customerId: string | null) => Toolset;
  /** The operator inbox, for the ops briefing tool (get_inbox). */
  inbox?: InboxReader;
}

const turnInputSchema = z
  .object({
    channel: z.enum(['slack', 'email', 'cli', 'api']),
    threadKey: z.string().min(1),
    text: z.string().min(1),
    requester: z.object({ kind: z.string(), id: z.string().min(1) }).passthrough(),
    verification: requesterVerificationSchema,
    persona: z.enum(['ops', 'customer']),
    customerId: z.string().min(1).optional(),
  })
  .refine((t) => t.persona === 'ops' || t.customerId, { message: 'customerId is required for the customer persona', path: ['customerId'] });


/**
 * How long one caller holds the follow-up of a decision while the model answers; past it (a
 * process that died mid-call) another caller may take it.
 */
const FOLLOW_UP_CLAIM_SECONDS = 600;

export function createAgentService(deps: AgentServiceDeps): AgentService {
  const { db, config } = deps;
  const provider = deps.provider ?? openProvider(config);
  const toolsetFor = deps.toolsetFor ?? standardToolset;
  const approvals = createApprovalService({ db, config, toolsetFor, ...(deps.notifier ? { notifier: deps.notifier } : {}) });

  function systemPrompt(conversation: Conversation): string {
    const slots = {
      store_name: config.STORE_NAME,
      today: new Date().toISOString().slice(0, 10),
      channel: conversation.channel,
      customer_id: conversation.customerId ?? '',
    };
    return renderPrompt(conversation.persona === 'customer' ? 'customer-system' : 'ops-system', slots);
  }

  async function continueConversation(
    conversation: Conversation,
    newMessage: ChatMessage,
    requester: Actor,
    verification: RequesterVerification,
  ): Promise<TurnLoopResult> {
    const history = await loadMessages(db, conversation.id);
    const toolset = toolsetFor(conversation.persona, conversation.customerId);
    const ctx: ToolContext = {
      db,
      config,
      actor: agentActorFor(requester),
      persona: conversation.persona,
      ...(conversation.customerId ? { customerId: conversation.customerId } : {}),
      conversationId: conversation.id,
      ...(deps.inbox && conversation.persona === 'ops' ? { inbox: deps.inbox } : {}),
    };
    const origin = { channel: conversation.channel, threadKey: conversation.threadKey };
    const result = await runTurnLoop({
      provider,
      system: systemPrompt(conversation),
      tools: toolset.specs(),
      historyTokens: config.AGENT_HISTORY_TOKENS,
      messages: [...history, newMessage],
      context: {
        persona: conversation.persona,
        channel: conversation.channel,
        ...(conversation.customerId ? { customerId: conversation.customerId } : {}),
      },
      maxIterations: config.AGENT_MAX_ITERATIONS,
      execute: (call) => executeToolCall({ toolset, ctx, approvals, requester, verification, origin }, call),
    });
    await appendMessages(db, conversation.id, [newMessage, ...result.added]);
    if (result.stopReason === 'max_iterations') {
      await markHandedOff(db, conversation.id, `turn stopped after ${result.iterations} steps`);
    }
    await recordTurn(db, {
      conversationId: conversation.id,
      provider: provider.name,
      model: provider.model,
      iterations: result.iterations,
      stopReason: result.stopReason,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      cacheReadTokens: result.usage.cacheReadTokens,
      cacheWriteTokens: result.usage.cacheWriteTokens,
      costUsd: result.usage.costUsd,
      toolCalls: result.toolCalls,
    });
    return result;
  }

  /** The agent's answer to the decision in the origin thread; null when there is no conversation to continue. */
  async function followUpFor(approvalId: string, conversationId: number | null): Promise<FollowUp | null> {
    if (conversationId === null) return null;
    const approval = await approvals.getApproval(approvalId);
    const conversation = await getConversation(db, conversationId);
    if (!approval || !conversation) return null;
    const outcome =
      approval.status === 'executed'
        ? `The action ran. Result: ${JSON.stringify(approval.result).slice(0, 4000)}`
        : approval.status === 'failed'
          ? `The action was attempted and failed: ${approval.error}`
          : approval.status === 'rejected'
            ? 'The request was rejected; nothing was changed.'
            : 'The request expired before anyone decided; nothing was changed.';
    const text = renderPrompt('approval-outcome', {
      approval_id: approval.id,
      tool: approval.tool,
      status: approval.status,
      decided_by: approval.decidedBy ?? 'nobody',
      outcome,
    });
    const result = await continueConversation(conversation, { role: 'user', content: [{ type: 'text', text }] }, approval.requester, approval.requesterVerification);
    return { reply: result.reply, channel: conversation.channel, threadKey: conversation.threadKey };
  }

  const service: AgentService = {
    provider,
    approvals,

    async runTurn(raw) {
      const parsed = turnInputSchema.safeParse(raw);
      if (!parsed.success) {
        throw new DomainError(
          'invalid',
          'invalid_turn',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      }
      // Only the approval service writes approval updates into a thread; the same words typed by
      // a person are marked as quoted so the model does not take them for a real decision.
      const input = /^\s*approval update/i.test(raw.text) ? { ...raw, text: `(quoted from the person) ${raw.text}` } : raw;
      const conversation = await openConversation(db, {
        channel: input.channel,
        threadKey: input.threadKey,
        persona: input.persona,
        ...(input.customerId ? { customerId: input.customerId } : {}),
        requester: input.requester,
      });
      const result = await continueConversation(conversation, { role: 'user', content: [{ type: 'text', text: input.text }] }, input.requester, input.verification);
      return {
        reply: result.reply,
        approvals: result.approvals,
        handedOff: result.handedOff,
        usage: {
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          cacheReadTokens: result.usage.cacheReadTokens,
          cacheWriteTokens: result.usage.cacheWriteTokens,
          costUsd: result.usage.costUsd,
          iterations: result.iterations,
        },
        conversationId: conversation.id,
        provider: provider.name,
        toolCalls: result.toolCalls,
      };
    },

    async resumeAfterDecision(approvalId) {
      // Claim the report for a while, so two callers never post the outcome twice; it is marked
      // done only once the model has answered, so a failed call leaves it for the next caller.
      const { rows } = await db.query<{ conversation_id: number | null; claim: string }>(
        `UPDATE approvals SET resume_claimed_until = now() + make_interval(secs => $2)
          WHERE id = $1 AND resumed_at IS NULL AND status IN ('executed', 'failed', 'rejected', 'expired')
            AND (resume_claimed_until IS NULL OR resume_claimed_until < now())
          RETURNING conversation_id, resume_claimed_until::text AS claim`,
        [approvalId, FOLLOW_UP_CLAIM_SECONDS],
      );
      const claimed = rows[0];
      if (!claimed) return null;
      let followUp: FollowUp | null;
      try {
        followUp = await followUpFor(approvalId, claimed.conversation_id);
      } catch (err) {
        // Release only our own claim: past its lapse another caller may hold a new one.
        await db.query(`UPDATE approvals SET resume_claimed_until = NULL WHERE id = $1 AND resume_claimed_until = $2::timestamptz`, [
          approvalId,
          claimed.claim,
        ]);
        throw err;
      }
      await db.query(`UPDATE approvals SET resumed_at = now(), resume_claimed_until = NULL WHERE id = $1 AND resumed_at IS NULL`, [approvalId]);
      return followUp;
    },

    async decide(input) {
      const decided = await approvals.decideApproval(input);
      const followUp = decided.alreadyDecided && decided.status !== 'expired' ? null : await service.resumeAfterDecision(input.id);
      return { ...decided, followUp };
    },

    act: (input) => runStaffAction({ db, config, approvals, toolset: toolsetFor('ops', null) }, input),
  };
  return service;
}
