import type { ApprovalView, PreviewChange, PreviewMoney } from '../agent/approval-view.js';
import type { z } from 'zod';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';

/**
 * How dangerous a tool is. `read` never changes data; `write` changes it and runs at once unless
 * policy says otherwise; `approval` never runs before an allowed person approves it.
 */
export type RiskTier = 'read' | 'write' | 'approval';

export type Persona = 'ops' | 'customer';

/** What a tool knows about the call besides its arguments. */
export interface ToolContext {
  db: Db;
  config: Config;
  /** The agent acting for the requester; recorded on every audit row the domain writes. */
  actor: Actor;
  persona: Persona;
  /** The verified customer a customer toolset is bound to. */
  customerId?: string;
  conversationId?: number;
  /** What needs a person, for the ops briefing; absent where the process wired no inbox. */
  inbox?: InboxReader;
}

/**
 * The operator inbox (src/console/inbox.ts), oldest first. The console owns that read model;
 * the composition hands it to the agent, since tools sit below the edges and may not import them.
 */
export type InboxReader = (request: { kinds?: readonly InboxReaderKind[]; limit: number; cursor: string | null }) => Promise<{
  items: { kind: string; ref: string; title: string; detail: string | null; since: string; ageSeconds: number; orderId: string | null; customerName: string | null }[];
  nextCursor: string | null;
}>;

export type InboxReaderKind = 'approval' | 'held_order' | 'exception' | 'sla_breach' | 'flag' | 'failed_job';

/** The subject of a change, so a preview can snapshot it before and after. */
export interface ChangeSubject {
  orderId?: string;
  customerId?: string;
}

/** Approvals still waiting for a decision and not expired, read in the transaction a policy runs in. */
export type WaitingApprovals = (filter: {
  tool?: string;
  /** Approvals whose preview changes this order. */
  orderId?: string;
  /** Approvals whose arguments contain these (JSON containment). */
  args?: Record<string, unknown>;
}) => Promise<ApprovalView[]>;

/**
 * When a write call must wait for a person. The gate takes `lock`, asks `check`, and then either
 * runs the call or records its approval, all in one transaction; approving a waiting request
 * takes the same lock before it runs. So calls that add to one running total are decided one at
 * a time, each seeing what the earlier ones ran and what they left waiting.
 */
export interface ToolPolicy<A> {
  /** Takes the lock that serialises decisions on the total this call adds to; held until the transaction ends. */
  lock(args: A, tx: Db): Promise<void>;
  /** Why this call needs approval, or null when it may run now. Called with the lock held; `ctx.db` is the transaction. */
  check(args: A, ctx: ToolContext, waiting: WaitingApprovals): Promise<string | null>;
}

export interface AgentTool<S extends z.ZodType = z.ZodType> {
  name: string;
  /** One paragraph written for the model: when to use it, what it returns, what it refuses. */
  description: string;
  tier: RiskTier;
  input: S;
  /** Calls one domain service and returns compact JSON. Throws DomainError for expected failures. */
  run(args: z.output<S>, ctx: ToolContext): Promise<unknown>;
  /** Extra policy beyond the tier: when this particular call needs approval (a refund over the limit). */
  policy?: ToolPolicy<z.output<S>>;
  /** Which order / customer the call changes, for the approval preview. */
  subject?(args: z.output<S>): ChangeSubject;
  /** For changes outside an order or customer (stock): what a dry run's result says changes. */
  previewChanges?(result: unknown): PreviewChange[];
  /**
   * A pure preview for a call whose effect reaches outside the database (a carrier buys or voids
   * a label): when present, the approval shows what this returns, computed without running the
   * tool, so the effect happens only at execution, once. Throws DomainError when the call would fail.
   */
  preview?(args: z.output<S>, ctx: ToolContext): Promise<PurePreview>;
}

/** What a pure preview says the call will do. */
export interface PurePreview {
  /** One line, e.g. "buy a UPS Ground label for shipment 12: 8.40 USD". */
  summary: string;
  changes: PreviewChange[];
  /** Money the call will charge (a label's cost) or refund. */
  money?: PreviewMoney[];
}

/** Declares a tool; the generic keeps `run` typed by its schema. */
export function defineTool<S extends z.ZodType>(tool: AgentTool<S>): AgentTool {
  return tool as unknown as AgentTool;
}
