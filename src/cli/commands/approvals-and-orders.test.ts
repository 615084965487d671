import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedAgentFixture } from '../../../test/support/agent-fixture.js';
import { useTestDb } from '../../../test/support/test-db.js';
import { createApprovalService } from '../../agent/approval-service.js';
import { auditTrail } from '../../domain/audit/audit-log.js';
import { loadConfig } from '../../config/config.js';
import { migrate } from '../../db/migrate.js';
import { createPgliteDb } from '../../db/pglite-db.js';
import { opsToolset } from '../../tools/ops-toolset.js';
import { CliError } from '../cli-error.js';
import { decideApprovalCommand, listApprovalsCommand, showApprovalCommand } from './approvals.js';
import { listOrdersCommand, showOrderCommand } from './orders.js';

const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' } as NodeJS.ProcessEnv);
const BIN = resolve(import.meta.dirname, '../../../bin/orderops.mjs');

describe('orderops approvals and orders', () => {
  const holder = useTestDb();
  let approvalId: string;
  const output = () => {
    const lines: string[] = [];
    return { lines, print: (l: string) => void lines.push(l) };
  };

  beforeAll(async () => {
    await seedAgentFixture(holder.db);
    const { approval } = await createApprovalService({ db: holder.db, config }).request({
      tool: opsToolset().get('cancel_order')!,
      args: { order_id: '#W1000001', reason: 'no longer needed' },
      ctx: { db: holder.db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: 'U_OPS' }, persona: 'ops' },
      reason: 'cancelling needs approval',
      requester: { kind: 'person', id: 'U_OPS' },
      verification: { verified: true, summary: 'Slack user U_OPS' },
      origin: { channel: 'slack', threadKey: 'C1:1.0' },
    });
    approvalId = approval.id;
  }, 60_000);

  it('lists and shows approvals, and refuses a bad --status or --limit naming the option', async () => {
    const out = output();
    await listApprovalsCommand(holder.db, { status: 'pending' }, out.print);
    expect(out.lines).toEqual([expect.stringMatching(new RegExp(`^${approvalId}  pending +cancel_order  .*#W1000001`))]);
    const shown = output();
    await showApprovalCommand(holder.db, config, approvalId, {}, shown.print);
    expect(shown.lines.join('\n')).toContain('requested   by U_OPS');
    await expect(listApprovalsCommand(holder.db, { status: 'open' }, output().print)).rejects.toThrow(new CliError('--status must be one of awaiting_confirmation, pending, executed, failed, rejected, expired, got "open"'));
    await expect(listApprovalsCommand(holder.db, { limit: '0' }, output().print)).rejects.toThrow(/--limit must be a whole number/);
    await expect(showApprovalCommand(holder.db, config, 'apr_nope', {}, output().print)).rejects.toThrow('approval apr_nope not found');
  });

  it('approves once with a reason, as the terminal user, and says so when it was already decided', async () => {
    await expect(decideApprovalCommand(holder.db, config, { id: approvalId, decision: 'approve', reason: '  ' }, output().print)).rejects.toThrow(/--reason/);
    const first = output();
    expect(await decideApprovalCommand(holder.db, config, { id: approvalId, decision: 'approve', reason: 'customer called' }, first.print)).toBe(0);
    expect(first.lines).toEqual([expect.stringMatching(/^approved apr_\w+: .*\(done\)$/)]);
    const again = output();
    expect(await decideApprovalCommand(holder.db, config, { id: approvalId, decision: 'reject', reason: 'late' }, again.print)).toBe(1);
    expect(again.lines[0]).toMatch(/was already executed by cli:/);
    const audit = await auditTrail(holder.db, 'approval', approvalId);
    expect(audit.map((a) => [a.actor_kind, a.action, a.data.reason])).toEqual([['person', 'approval.executed', 'customer called']]);
    expect(audit[0]!.actor_id).toMatch(/^cli:/);
  });

  it('lists orders with --status and --q, and shows one with its SKUs', async () => {
    const held = output();
    await listOrdersCommand(holder.db, { status: 'cancelled' }, held.print);
    expect(held.lines).toEqual([expect.stringMatching(/^#W1000001  cancelled +Alice Ng +.*1x 1000000001, 1x 2000000001/)]);
    const bob = output();
    await listOrdersCommand(holder.db, { q: 'bob.stone', limit: '2' }, bob.print);
    expect(bob.lines).toHaveLength(3);
    expect(bob.lines[2]).toMatch(/^more: --cursor \S+$/);
    const rest = output();
    await listOrdersCommand(holder.db, { q: 'bob.stone', cursor: bob.lines[2]!.split(' ').at(-1)! }, rest.print);
    expect(rest.lines).toHaveLength(1);
    await expect(listOrdersCommand(holder.db, { status: 'lost' }, output().print)).rejects.toThrow(/--status must be one of/);
    const one = output();
    await showOrderCommand(holder.db, 'W1000001', {}, one.print);
    expect(one.lines.join('\n')).toMatch(/line +1x 1000000001 +T-Shirt/);
    await expect(showOrderCommand(holder.db, '9999999', {}, output().print)).rejects.toThrow('order #W9999999 not found');
  });

  // The real process, once: the exit codes and messages a shell script sees.
  it('exits non-zero naming the option when a command is given bad input', { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'approvals-cli-'));
    const db = await createPgliteDb({ dataDir: join(dataDir, 'pglite') });
    await migrate(db);
    await db.close();
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false' }, timeout: 120_000 });
      return { status: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
    };
    const bad = run('orders', 'list', '--status', 'lost');
    expect(bad.status).toBe(2);
    expect(bad.err).toContain('--status must be one of');
    const missing = run('approvals', 'approve', 'apr_x');
    expect(missing.status).not.toBe(0);
    expect(missing.err).toContain("required option '--reason <text>' not specified");
  });
});
