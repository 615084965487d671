import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import { requestHash } from '../domain/idempotency/request-hash.js';
import { DomainError, isDomainError } from '../domain/domain-error.js';
import { standardToolset } from '../tools/standard-toolset.js';
import type { AgentTool, Persona, ToolContext } from '../tools/tool.js';
import type { Toolset } from '../tools/toolset.js';
import { notifySafely, type ApprovalNotifier } from './approval-notifier.js';
import { toApprovalView, type ApprovalRow, type ApprovalStatus, type ApprovalView } from './approval-view.js';
import { confirmationCodeMatches, hashConfirmationCode, newConfirmationCode } from './confirmation-code.js';
import { previewToolCall } from './preview-change.js';
import { CONFIRMED_BY_CODE, type RequesterVerification } from './requester-verification.js';
import { defaultLogger, logLine } from '../config/logger.js';

export interface DecideInput {
  id: string;
  decision: 'approve' | 'reject';
  decider: Actor;
  /** The caller vouches that the decider may approve (the terminal chat's local operator). */
  isApprover?: boolean;
  /** Lets the requester decide their own request; only the local operator of `orderops chat`. */
  allowSelfApproval?: boolean;
  reason?: string;
}

export interface DecideResult {
  status: ApprovalStatus;
  /** True when the request had already been decided (or expired): nothing ran this time. */
  alreadyDecided: boolean;
  result: unknown | null;
  approval: ApprovalView;
}

export interface ApprovalRequest {
  tool: AgentTool;
  args: Record<string, unknown>;
  ctx: ToolContext;
  reason: string;
  requester: Actor;
  /** How the channel knows the requester; an unverified one must confirm before staff may decide. */
  verification: RequesterVerification;
  origin: { channel: string; threadKey: string };
  conversationId?: number;
  toolUseId?: string;
}

/** What became of codes sent back for one confirmation. */
export type ConfirmationResult =
  /** The code matched: the approval is now pending, for staff to decide. */
  | { outcome: 'confirmed'; approval: ApprovalView }
  | { outcome: 'wrong_code'; approval: ApprovalView; attemptsLeft: number }
  /** The last attempt was wrong: the request is rejected and will never run. */
  | { outcome: 'refused'; approval: ApprovalView }
  /** Already confirmed, decided or expired: nothing changed. */
  | { outcome: 'not_waiting'; approval: ApprovalView }
  /** No confirmation was sent under that reference. */
  | { outcome: 'unknown' };

export interface ApprovalFilter {
  status?: ApprovalStatus;
  channel?: string;
  threadKey?: string;
  limit?: number;
}

export interface ApprovalService {
  /**
   * Turns a risky call into an approval with a preview; reuses the same waiting request in that
   * thread. A verified requester's request is `pending` at once (the `created` hook posts it for
   * staff); an unverified one's is `awaiting_confirmation`, posted nowhere until confirmed.
   */
  request(req: ApprovalRequest): Promise<{ approval: ApprovalView; created: boolean }>;
  /**
   * `request` without telling anyone: writes in `req.ctx.db`, which may be the caller's open
   * transaction (the policy gate decides under a lock). Call `announce` once that has committed.
   */
  record(req: ApprovalRequest): Promise<{ approval: ApprovalView; created: boolean }>;
  /** Tells the notifier about an approval `record` created. */
  announce(approval: ApprovalView): Promise<void>;
  /**
   * Makes a one-time code for an approval awaiting confirmation and returns it once, for the
   * channel to deliver to the requester; only its hash is kept. `reference` names where it is
   * sent (for email, the Message-ID of the mail carrying it). A new code replaces an earlier one.
   */
  issueConfirmation(id: string, reference: string): Promise<{ approval: ApprovalView; code: string }>;
  /**
   * Checks codes the requester sent back in answer to `reference` (one attempt, however many
   * candidates). A match moves the approval to `pending` and fires `created`; the last allowed
   * wrong attempt rejects it and fires `decided`.
   */
  confirmRequester(input: { reference: string; codes: string[] }): Promise<ConfirmationResult>;
  listApprovals(filter?: ApprovalFilter): Promise<ApprovalView[]>;
  getApproval(id: string): Promise<ApprovalView | null>;
  /** Runs an approved action exactly once, in the transaction that marks the approval decided. */
  decideApproval(input: DecideInput): Promise<DecideResult>;
  /** Marks every pending or awaiting approval past its expiry as expired; returns them. */
  expireApprovals(now?: Date): Promise<ApprovalView[]>;
}

export interface ApprovalServiceDeps {
  db: Db;
  config: Config;
  notifier?: ApprovalNotifier;
  /** The tools an approval may run, by the persona and customer of its conversation. */
  toolsetFor?: (persona: Persona, customerId: string | null) => Toolset;
  log?: (msg: string) => void;
}


export const agentActorFor = (requester: Actor): Actor => ({ kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id });

export function createApprovalService(deps: ApprovalServiceDeps): ApprovalService {
  const { db, config } = deps;
  const toolsetFor = deps.toolsetFor ?? standardToolset;
  const log = deps.log ?? logLine(defaultLogger().child({ component: 'approvals' }), 'warn');
  const approvers = new Set([...config.APPROVERS, ...config.SLACK_APPROVERS]);

  async function load(tx: Db, id: string, lock = false): Promise<ApprovalRow | null> {
    const { rows } = await tx.query<ApprovalRow>(`SELECT * FROM approvals WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Approving a call whose tool has a policy takes the policy's lock first, before the approval
   * row, in the order the gate takes them, so running it and deciding a new call on the same
   * total never interleave.
   */
  async function lockPolicyOf(tx: Db, id: string): Promise<void> {
    const peek = await load(tx, id);
    if (!peek || peek.status !== 'pending') return;
    const tool = toolsetFor(peek.persona, peek.customer_id).get(peek.tool);
    if (tool?.policy) await tool.policy.lock(tool.input.parse(peek.args), tx);
  }

  const service: ApprovalService = {
    async request(req) {
      const recorded = await service.record(req);
      if (recorded.created) await service.announce(recorded.approval);
      return recorded;
    },

    async announce(approval) {
      // A request waiting for its sender's confirmation is posted nowhere: staff cannot decide it yet.
      if (approval.status !== 'pending') return;
      await notifySafely(deps.notifier?.created?.bind(deps.notifier), approval, log);
    },

    async record(req) {
      const tx = req.ctx.db;
      const preview = await previewToolCall(req.tool, req.args, req.ctx);
      // Key order does not matter, so the same request asked twice in a thread is one approval.
      const argsHash = requestHash(req.args);
      const id = `apr_${randomBytes(6).toString('hex')}`;
      const status: ApprovalStatus = req.verification.verified ? 'pending' : 'awaiting_confirmation';
      const { rows } = await tx.query<ApprovalRow>(
        `INSERT INTO approvals (id, tool, args, args_hash, preview, reason, requester, requester_id, persona, customer_id,
           origin_channel, origin_thread, conversation_id, tool_use_id, idempotency_key, expires_at, status, requester_verification)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now() + make_interval(mins => $16), $17, $18)
         ON CONFLICT (origin_channel, origin_thread, tool, args_hash) WHERE status IN ('pending', 'awaiting_confirmation') DO NOTHING
         RETURNING *`,
        [
          id,
          req.tool.name,
          JSON.stringify(req.args),
          argsHash,
          JSON.stringify(preview),
          req.reason,
          JSON.stringify(req.requester),
          req.requester.id,
          req.ctx.persona,
          req.ctx.customerId ?? null,
          req.origin.channel,
          req.origin.threadKey,
          req.conversationId ?? null,
          req.toolUseId ?? null,
          randomUUID(),
          status === 'pending' ? config.APPROVAL_TTL_MINUTES : config.APPROVAL_CONFIRMATION_TTL_MINUTES,
          status,
          JSON.stringify(req.verification),
        ],
      );
      if (rows[0]) return { approval: toApprovalView(rows[0]), created: true };
      const existing = await tx.query<ApprovalRow>(
        `SELECT * FROM approvals WHERE origin_channel = $1 AND origin_thread = $2 AND tool = $3 AND args_hash = $4
            AND status IN ('pending', 'awaiting_confirmation')`,
        [req.origin.channel, req.origin.threadKey, req.tool.name, argsHash],
      );
      if (!existing.rows[0]) throw new Error('approval insert conflicted but no pending approval was found');
      return { approval: toApprovalView(existing.rows[0]), created: false };
    },

    async listApprovals(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (filter.status) add('status = ?', filter.status);
      if (filter.channel) add('origin_channel = ?', filter.channel);
      if (filter.threadKey) add('origin_thread = ?', filter.threadKey);
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
      const { rows } = await db.query<ApprovalRow>(
        `SELECT * FROM approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ${limit}`,
        params,
      );
      return rows.map(toApprovalView);
    },

    async getApproval(id) {
      const row = await load(db, id);
      return row ? toApprovalView(row) : null;
    },

    async decideApproval(input) {
      if (!input.isApprover && !approvers.has(input.decider.id)) {
        throw new DomainError('forbidden', 'not_an_approver', `${input.decider.id} is not allowed to decide approvals`);
      }
      const outcome = await db.transaction(async (tx) => {
        if (input.decision === 'approve') await lockPolicyOf(tx, input.id);
        const row = await load(tx, input.id, true);
        if (!row) throw new DomainError('not_found', 'approval_not_found', `approval ${input.id} not found`);
        const selfDecision =
          row.requester.id === input.decider.id || (row.customer_id !== null && row.customer_id === input.decider.id);
        if (selfDecision && !input.allowSelfApproval) {
          throw new DomainError('forbidden', 'self_approval', `approval ${input.id} was requested by ${input.decider.id}, who cannot decide it`);
        }
        if (row.status !== 'pending' && row.status !== 'awaiting_confirmation') return { row, alreadyDecided: true, event: null };
        const decider = input.decider.id;
        if (new Date(row.expires_at).getTime() <= Date.now()) {
          const { rows } = await tx.query<ApprovalRow>(
            `UPDATE approvals SET status = 'expired', confirmation_code_hash = NULL WHERE id = $1 AND status = $2 RETURNING *`,
            [row.id, row.status],
          );
          return { row: rows[0]!, alreadyDecided: true, event: 'expired' as const };
        }
        if (row.status === 'awaiting_confirmation' && input.decision === 'approve') {
          // Rejecting is always safe; approving waits until the mailbox owner has vouched for the request.
          throw new DomainError(
            'conflict',
            'awaiting_confirmation',
            `approval ${row.id} is waiting for the customer to confirm it from their own mailbox (${row.requester_verification.summary}); it can be approved once they have`,
          );
        }
        if (input.decision === 'reject') {
          const { rows } = await tx.query<ApprovalRow>(
            `UPDATE approvals SET status = 'rejected', decided_by = $2, decided_at = now(), decision_reason = $3, confirmation_code_hash = NULL
              WHERE id = $1 AND status IN ('pending', 'awaiting_confirmation') RETURNING *`,
            [row.id, decider, input.reason ?? null],
          );
          await recordAudit(tx, input.decider, {
            action: 'approval.rejected',
            entityType: 'approval',
            entityId: row.id,
            data: { tool: row.tool, args: row.args, reason: input.reason ?? null },
          });
          return { row: rows[0]!, alreadyDecided: false, event: 'decided' as const };
        }
        const tool = toolsetFor(row.persona, row.customer_id).get(row.tool);
        if (!tool) throw new Error(`approval ${row.id}: tool ${row.tool} is not registered`);
        const ctx: ToolContext = {
          db: tx,
          config,
          actor: agentActorFor(row.requester),
          persona: row.persona,
          ...(row.customer_id ? { customerId: row.customer_id } : {}),
          ...(row.conversation_id !== null ? { conversationId: row.conversation_id } : {}),
        };
        let status: ApprovalStatus = 'executed';
        let result: unknown = null;
        let error: string | null = null;
        try {
          result = await tx.transaction((inner) => tool.run(tool.input.parse(row.args), { ...ctx, db: inner }));
        } catch (err) {
          if (!isDomainError(err)) throw err;
          status = 'failed';
          error = err.message;
        }
        const { rows } = await tx.query<ApprovalRow>(
          `UPDATE approvals SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4, result = $5, error = $6
            WHERE id = $1 AND status = 'pending' RETURNING *`,
          [row.id, status, decider, input.reason ?? null, result === null ? null : JSON.stringify(result), error],
        );
        await tx.query(
          `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response) VALUES ('approval', $1, $2, $3, $4)`,
          [row.idempotency_key, row.args_hash, status === 'executed' ? 200 : 409, JSON.stringify({ result, error })],
        );
        await recordAudit(tx, input.decider, {
          action: status === 'executed' ? 'approval.executed' : 'approval.failed',
          entityType: 'approval',
          entityId: row.id,
          data: { tool: row.tool, args: row.args, error, reason: input.reason ?? null },
        });
        return { row: rows[0]!, alreadyDecided: false, event: 'decided' as const };
      });
      const approval = toApprovalView(outcome.row);
      if (outcome.event === 'decided') await notifySafely(deps.notifier?.decided?.bind(deps.notifier), approval, log);
      if (outcome.event === 'expired') await notifySafely(deps.notifier?.expired?.bind(deps.notifier), approval, log);
      return {
        status: approval.status,
        alreadyDecided: outcome.alreadyDecided,
        result: approval.status === 'executed' ? approval.result : approval.status === 'failed' ? approval.error : null,
        approval,
      };
    },

    async issueConfirmation(id, reference) {
      const code = newConfirmationCode();
      const { rows } = await db.query<ApprovalRow>(
        `UPDATE approvals SET confirmation_code_hash = $2, confirmation_reference = $3, confirmation_attempts = 0
          WHERE id = $1 AND status = 'awaiting_confirmation' AND expires_at > now() RETURNING *`,
        [id, await hashConfirmationCode(code), reference],
      );
      if (!rows[0]) throw new DomainError('conflict', 'not_awaiting_confirmation', `approval ${id} is not waiting for a confirmation`);
      return { approval: toApprovalView(rows[0]), code };
    },

    async confirmRequester(input) {
      const outcome = await db.transaction(async (tx) => {
        const { rows: found } = await tx.query<ApprovalRow>('SELECT * FROM approvals WHERE confirmation_reference = $1 FOR UPDATE', [input.reference]);
        const row = found[0];
        if (!row) return { result: { outcome: 'unknown' as const }, event: null };
        const requester = { kind: 'person' as const, id: row.requester.id };
        if (row.status !== 'awaiting_confirmation' || !row.confirmation_code_hash) {
          return { result: { outcome: 'not_waiting' as const, approval: toApprovalView(row) }, event: null };
        }
        if (new Date(row.expires_at).getTime() <= Date.now()) {
          const { rows } = await tx.query<ApprovalRow>(
            `UPDATE approvals SET status = 'expired', confirmation_code_hash = NULL WHERE id = $1 RETURNING *`,
            [row.id],
          );
          return { result: { outcome: 'not_waiting' as const, approval: toApprovalView(rows[0]!) }, event: 'expired' as const };
        }
        let matched = false;
        for (const code of input.codes.slice(0, 3)) {
          if (await confirmationCodeMatches(code, row.confirmation_code_hash)) matched = true;
        }
        if (matched) {
          const verification: RequesterVerification = { ...row.requester_verification, summary: `${row.requester_verification.summary}; ${CONFIRMED_BY_CODE}` };
          const { rows } = await tx.query<ApprovalRow>(
            `UPDATE approvals SET status = 'pending', confirmation_code_hash = NULL, confirmed_at = now(),
                    requester_verification = $2, expires_at = now() + make_interval(mins => $3)
              WHERE id = $1 RETURNING *`,
            [row.id, JSON.stringify(verification), config.APPROVAL_TTL_MINUTES],
          );
          await recordAudit(tx, requester, { action: 'approval.confirmed', entityType: 'approval', entityId: row.id, data: { tool: row.tool } });
          return { result: { outcome: 'confirmed' as const, approval: toApprovalView(rows[0]!) }, event: 'created' as const };
        }
        const attempts = row.confirmation_attempts + 1;
        if (attempts >= config.APPROVAL_CONFIRMATION_ATTEMPTS) {
          const { rows } = await tx.query<ApprovalRow>(
            `UPDATE approvals SET status = 'rejected', confirmation_attempts = $2, confirmation_code_hash = NULL,
                    decided_by = 'orderops', decided_at = now(), decision_reason = $3
              WHERE id = $1 RETURNING *`,
            [row.id, attempts, `the request was not confirmed: ${attempts} wrong codes`],
          );
          await recordAudit(tx, requester, { action: 'approval.confirmation_failed', entityType: 'approval', entityId: row.id, data: { attempts } });
          return { result: { outcome: 'refused' as const, approval: toApprovalView(rows[0]!) }, event: 'decided' as const };
        }
        const { rows } = await tx.query<ApprovalRow>('UPDATE approvals SET confirmation_attempts = $2 WHERE id = $1 RETURNING *', [row.id, attempts]);
        return {
          result: { outcome: 'wrong_code' as const, approval: toApprovalView(rows[0]!), attemptsLeft: config.APPROVAL_CONFIRMATION_ATTEMPTS - attempts },
          event: null,
        };
      });
      const result: ConfirmationResult = outcome.result;
      if (outcome.event && 'approval' in result) {
        await notifySafely(deps.notifier?.[outcome.event]?.bind(deps.notifier), result.approval, log);
      }
      return result;
    },

    async expireApprovals(now = new Date()) {
      const { rows } = await db.query<ApprovalRow>(
        `UPDATE approvals SET status = 'expired', confirmation_code_hash = NULL
          WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at <= $1 RETURNING *`,
        [now],
      );
      const expired = rows.map(toApprovalView);
      for (const a of expired) await notifySafely(deps.notifier?.expired?.bind(deps.notifier), a, log);
      return expired;
    },
  };
  return service;
}
