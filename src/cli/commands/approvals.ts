import { approvalEventPublisher } from '../../console/approval-event-publisher.js';
import type { Command } from 'commander';
import { createApprovalService } from '../../agent/approval-service.js';
import type { ApprovalStatus, ApprovalView } from '../../agent/approval-view.js';
import { listApprovalsPage } from '../../agent/list-approvals-page.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import { DomainError } from '../../domain/domain-error.js';
import { CliError } from '../cli-error.js';
import { cliOperator } from '../cli-operator.js';
import { formatAge } from '../format-age.js';
import { parseCliLimit } from '../parse-cli-limit.js';
import { withDb } from '../with-db.js';

const STATUSES: readonly ApprovalStatus[] = ['awaiting_confirmation', 'pending', 'executed', 'failed', 'rejected', 'expired'];

type Print = (line: string) => void;

function parseStatus(value: string | undefined): ApprovalStatus | undefined {
  if (value === undefined) return undefined;
  if (!(STATUSES as readonly string[]).includes(value)) throw new CliError(`--status must be one of ${STATUSES.join(', ')}, got "${value}"`);
  return value as ApprovalStatus;
}

function parseReason(value: string | undefined): string {
  const reason = value?.trim() ?? '';
  if (!reason) throw new CliError('--reason must say why (it is kept on the approval and its audit row)');
  return reason;
}

const line = (a: ApprovalView) => `${a.id}  ${a.status.padEnd(9)}  ${a.tool}  ${a.preview.summary}  (${formatAge(a.createdAt)})`;

/** `orderops approvals list`: newest first, a page at a time. */
export async function listApprovalsCommand(db: Db, opts: { status?: string; limit?: string; cursor?: string; json?: boolean }, print: Print): Promise<void> {
  const status = parseStatus(opts.status);
  const page = await listApprovalsPage(db, status ? { status } : {}, { limit: parseCliLimit(opts.limit), cursor: opts.cursor ?? null });
  if (opts.json) return print(JSON.stringify(page, null, 2));
  if (page.items.length === 0) print(status ? `no ${status} approvals` : 'no approvals');
  for (const a of page.items) print(line(a));
  if (page.nextCursor) print(`more: --cursor ${page.nextCursor}`);
}

/** `orderops approvals show <id>`: what approving would change, who asked and why. */
export async function showApprovalCommand(db: Db, config: Config, id: string, opts: { json?: boolean }, print: Print): Promise<void> {
  const a = await createApprovalService({ db, config }).getApproval(id);
  if (!a) throw new DomainError('not_found', 'approval_not_found', `approval ${id} not found`);
  if (opts.json) return print(JSON.stringify(a, null, 2));
  print(`${a.id}: ${a.preview.summary}`);
  print(`  status      ${a.status}${a.decidedBy ? ` by ${a.decidedBy} at ${a.decidedAt}` : ''}${a.decisionReason ? ` (${a.decisionReason})` : ''}`);
  print(`  tool        ${a.tool} ${JSON.stringify(a.args)}`);
  print(`  why         ${a.reason}`);
  print(`  requested   by ${a.requester.id} (${a.requesterVerification.summary}) via ${a.origin.channel}, ${formatAge(a.createdAt)}; expires ${a.expiresAt}`);
  for (const c of a.preview.changes) print(`  change      ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
  for (const m of a.preview.money) print(`  money       ${m.direction} ${m.amount.toFixed(2)}${m.paymentMethodId ? ` (${m.paymentMethodId})` : ''}`);
  if (a.preview.wouldFail) print(`  would fail  ${a.preview.wouldFail}`);
  if (a.error) print(`  error       ${a.error}`);
}

/**
 * `orderops approvals approve|reject <id> --reason`: the approval service's one decision, the
 * same the Slack buttons and the API make. Returns the exit code: 1 when it was already decided.
 */
export async function decideApprovalCommand(
  db: Db,
  config: Config,
  input: { id: string; decision: 'approve' | 'reject'; reason?: string },
  print: Print,
): Promise<number> {
  const reason = parseReason(input.reason);
  // Open consoles hear the decision like one made in Slack or over the API.
  const outcome = await createApprovalService({ db, config, notifier: approvalEventPublisher(db) }).decideApproval({
    id: input.id,
    decision: input.decision,
    decider: cliOperator(),
    // Whoever runs orderops here already holds the database; like `orderops chat`, they may approve.
    isApprover: true,
    reason,
  });
  const a = outcome.approval;
  if (outcome.alreadyDecided) {
    print(`approval ${a.id} was already ${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}; nothing ran this time`);
    return 1;
  }
  if (a.status === 'executed') print(`approved ${a.id}: ${a.preview.summary} (done)`);
  else if (a.status === 'failed') print(`approved ${a.id}, but it failed: ${a.error}`);
  else print(`rejected ${a.id}: ${a.preview.summary} (nothing ran)`);
  return a.status === 'failed' ? 1 : 0;
}

export function registerApprovalsCommand(program: Command): void {
  const approvals = program.command('approvals').description('Approvals: list, show, approve or reject (the same decision as the Slack buttons)');
  const print = (l: string) => console.log(l);

  approvals
    .command('list')
    .description('Approvals, newest first')
    .option('--status <status>', `only this status: ${STATUSES.join(', ')}`)
    .option('--limit <n>', 'at most this many (default 20)')
    .option('--cursor <cursor>', 'the next page, as printed after "more:"')
    .option('--json', 'print as JSON')
    .action((opts: { status?: string; limit?: string; cursor?: string; json?: boolean }) => withDb((db) => listApprovalsCommand(db, opts, print)));

  approvals
    .command('show <id>')
    .description('One approval: what it would change, who asked and why')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => withDb((db, config) => showApprovalCommand(db, config, id, opts, print)));

  for (const decision of ['approve', 'reject'] as const) {
    approvals
      .command(`${decision} <id>`)
      .description(decision === 'approve' ? 'Approve: the action runs once, now' : 'Reject: the action never runs')
      .requiredOption('--reason <text>', 'why; kept on the approval and its audit row')
      .action(async (id: string, opts: { reason: string }) => {
        process.exitCode = await withDb((db, config) => decideApprovalCommand(db, config, { id, decision, reason: opts.reason }, print));
      });
  }
}
