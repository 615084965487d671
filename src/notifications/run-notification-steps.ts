import type { Db } from '../db/db.js';
import { consentRefusal, loadPreferences, type NotificationPreferences } from './consent/notification-preferences.js';
import { evaluateCondition } from './evaluate-condition.js';
import { loadNotificationContext } from './load-notification-context.js';
import type { NotificationContext } from './notification-context.js';
import type { NotificationEngineDeps } from './notification-engine-deps.js';
import { contextRefOf, type NotificationRun, type RunStatus } from './notification-run.js';
import { queueNotificationMessage } from './queue-notification-message.js';
import { nextSendTime } from './quiet-hours.js';
import { recordSuppressedMessage } from './record-suppressed-message.js';
import type { RenderedNotification } from './render-notification.js';
import type { Workflow, WorkflowChannel } from './workflow.js';
import { getWorkflow } from './workflow-repository.js';
import { cursorLabel, enterBranch, nextCursor, stepAt, type WorkflowCursor } from './workflow-cursor.js';

/** How long a run whose workflow is paused waits before it looks again. */
export const PAUSED_RECHECK_MS = 5 * 60_000;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const durationMs = (d: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(d.trim());
  if (!m) throw new Error(`"${d}" is not a duration`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
};

/** The run is no longer this walker's: cancelled (made stale) or its lease taken over meanwhile. */
export class RunLeaseLostError extends Error {
  constructor(runId: number) {
    super(`notification run ${runId} is no longer held by this walker`);
    this.name = 'RunLeaseLostError';
  }
}

export type StepsOutcome = 'waiting' | 'deferred' | 'done' | 'cancelled';

interface RunChange {
  cursor: WorkflowCursor;
  status: RunStatus;
  dueAt?: Date;
  detail?: string;
}

/**
 * Writes where a claimed run stands, only while this walker still holds it; in the caller's
 * transaction, so a queued message and the step that made it commit together.
 */
async function saveRun(tx: Db, run: NotificationRun, lease: Date, change: RunChange): Promise<void> {
  const holds = change.status === 'running';
  const { rowCount } = await tx.query(
    `UPDATE notification_runs SET cursor = $3, status = $4, due_at = COALESCE($5, due_at), lease_until = CASE WHEN $6 THEN lease_until END,
            attempts = 0, outcome_detail = COALESCE($7, outcome_detail), updated_at = now()
      WHERE id = $1 AND status = 'running' AND lease_until = $2`,
    [run.id, lease.toISOString(), JSON.stringify(change.cursor), change.status, change.dueAt?.toISOString() ?? null, holds, change.detail ?? null],
  );
  if (rowCount === 0) throw new RunLeaseLostError(run.id);
}

function channelsOf(channel: WorkflowChannel, prefs: NotificationPreferences): ('email' | 'sms')[] {
  const chosen = channel === 'preferred' ? prefs.channel : channel;
  return chosen === 'both' ? ['email', 'sms'] : [chosen];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function recipientOf(channel: 'email' | 'sms', context: NotificationContext): { to: string } | { refusal: string; to: string } {
  if (channel === 'email') {
    const email = context.customer.email.trim();
    return EMAIL.test(email) ? { to: email } : { refusal: 'the customer has no email address we can write to', to: email };
  }
  return context.customer.phone ? { to: context.customer.phone } : { refusal: 'the customer has no phone number that can take a text (E.164)', to: '' };
}

/**
 * Walks one claimed run from its cursor until it waits, is deferred past quiet hours, or ends.
 * `wait` schedules the run for later; `if` tests a context read fresh from the ledger after any
 * wait; `send` resolves the channel, checks consent and the address, holds for quiet hours
 * (unless the workflow ignores them), renders and queues, or records why it could not; `stop`
 * ends the run. Each step that changes the run commits with its messages in one transaction; an
 * `if` commits with the step it leads to. A paused workflow's run waits; a removed or disabled
 * one's is cancelled. Throws on a failure (the caller retries); RunLeaseLostError when the run
 * was cancelled or taken over under it, with nothing of the step written.
 */
export async function runNotificationSteps(deps: NotificationEngineDeps, run: NotificationRun, lease: Date): Promise<StepsOutcome> {
  const { db } = deps;
  const now = deps.clock.now();
  const stored = await getWorkflow(db, run.workflowId);
  if (!stored || !stored.workflow.enabled) {
    await saveRun(db, run, lease, { cursor: run.cursor, status: 'cancelled', detail: stored ? 'the workflow is disabled' : 'the workflow was removed' });
    return 'cancelled';
  }
  if (stored.paused) {
    await saveRun(db, run, lease, { cursor: run.cursor, status: 'scheduled', dueAt: new Date(now.getTime() + PAUSED_RECHECK_MS), detail: 'waiting: the workflow is paused' });
    return 'waiting';
  }
  const workflow = stored.workflow;
  let context: NotificationContext | null = null;
  const fresh = async () => (context ??= await loadNotificationContext(db, contextRefOf(run, workflow.category), { store: deps.store, links: deps.links }));

  let cursor = run.cursor;
  for (let guard = 0; guard < 1000; guard++) {
    const step = stepAt(workflow.steps, cursor);
    if (step === undefined) {
      await saveRun(db, run, lease, { cursor, status: 'done', detail: 'every step run' });
      return 'done';
    }
    if (step === null) {
      await saveRun(db, run, lease, { cursor, status: 'cancelled', detail: `the workflow's steps changed under the run (at ${cursorLabel(cursor)})` });
      return 'cancelled';
    }
    if ('stop' in step) {
      await saveRun(db, run, lease, { cursor, status: 'done', detail: `stopped at ${cursorLabel(cursor)}` });
      return 'done';
    }
    if ('wait' in step) {
      await saveRun(db, run, lease, { cursor: nextCursor(workflow.steps, cursor), status: 'scheduled', dueAt: new Date(now.getTime() + durationMs(step.wait)), detail: `waiting ${step.wait}` });
      return 'waiting';
    }
    const ctx = await fresh();
    if (!ctx) {
      await saveRun(db, run, lease, { cursor, status: 'cancelled', detail: `order ${run.orderId} no longer exists` });
      return 'cancelled';
    }
    if ('if' in step) {
      cursor = enterBranch(workflow.steps, cursor, evaluateCondition(step.if, ctx) ? 'then' : 'else');
      continue;
    }
    const sent = await send(deps, run, lease, workflow, step.send, cursor, ctx, now);
    if (sent !== 'next') return sent;
    cursor = nextCursor(workflow.steps, cursor);
  }
  throw new Error(`notification run ${run.id}: the workflow did not end within 1000 steps`);
}

/**
 * One send step: every channel it resolves to is queued, suppressed (with the reason), or held
 * for quiet hours. When any is held, the step stays where it is and the run is due at the end of
 * the window; the channels already queued are keyed by run, step and channel, so running the
 * step again queues nothing twice. A send that is the run's last step ends the run in the same
 * write. Says whether the run was deferred, is done, or goes on to the next step.
 */
async function send(
  deps: NotificationEngineDeps,
  run: NotificationRun,
  lease: Date,
  workflow: Workflow,
  step: { template: string; channel?: WorkflowChannel },
  cursor: WorkflowCursor,
  context: NotificationContext,
  now: Date,
): Promise<'deferred' | 'done' | 'next'> {
  const prefs = await loadPreferences(deps.db, run.customerId);
  const plans: { channel: 'email' | 'sms'; to: string; refusal: string | null }[] = [];
  let heldUntil: Date | null = null;
  for (const channel of channelsOf(step.channel ?? workflow.channel, prefs)) {
    const recipient = recipientOf(channel, context);
    const refusal = consentRefusal(prefs, channel, workflow.category) ?? ('refusal' in recipient ? recipient.refusal : null);
    if (!refusal && !workflow.ignore_quiet_hours) {
      const at = nextSendTime(now, channel, deps.settings, deps.store.timezone);
      if (at.getTime() > now.getTime()) {
        if (heldUntil === null || at.getTime() < (heldUntil as Date).getTime()) heldUntil = at;
        continue;
      }
    }
    plans.push({ channel, to: recipient.to, refusal });
  }
  const rendered: RenderedNotification | null = plans.some((p) => !p.refusal) ? await deps.renderer.render(step.template, context) : null;
  const label = cursorLabel(cursor);
  const next = nextCursor(workflow.steps, cursor);
  const last = stepAt(workflow.steps, next) === undefined;
  await deps.db.transaction(async (tx) => {
    for (const p of plans) {
      const base = {
        runId: run.id,
        workflowId: workflow.id,
        template: step.template,
        category: workflow.category,
        customerId: run.customerId,
        orderId: run.orderId,
        channel: p.channel,
        recipient: p.to,
        idempotencyKey: `run:${run.id}:${label}:${p.channel}`,
      };
      if (p.refusal) await recordSuppressedMessage(tx, { ...base, reason: p.refusal });
      else if (p.channel === 'email') await queueNotificationMessage(tx, { ...base, subject: rendered!.subject, bodyText: rendered!.text, bodyHtml: rendered!.html });
      else await queueNotificationMessage(tx, { ...base, subject: '', bodyText: rendered!.sms, bodyHtml: null });
    }
    await saveRun(
      tx,
      run,
      lease,
      heldUntil
        ? { cursor, status: 'scheduled', dueAt: heldUntil, detail: `held for quiet hours until ${heldUntil.toISOString()}` }
        : last
          ? { cursor: next, status: 'done', detail: 'every step run' }
          : { cursor: next, status: 'running' },
    );
  });
  return heldUntil ? 'deferred' : last ? 'done' : 'next';
}
