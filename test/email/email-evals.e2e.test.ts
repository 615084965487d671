import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineProvider } from '../../src/agent/providers/offline-provider.js';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { ingestKnowledgeBase } from '../../src/domain/knowledge/ingest-knowledge-base.js';
import type { Suite } from '../../evals/eval-case.js';
import { seedEvalStore } from '../../evals/eval-store.js';
import { gradeCase } from '../../evals/grade-case.js';
import { loadSuite } from '../../evals/load-suite.js';
import { runCase } from '../../evals/run-case.js';
import { openTestDb } from '../support/test-db.js';
import { startCaptureSmtpServer, type CaptureSmtpServer } from './capture-smtp-server.js';
import { runCaseByEmail } from './run-case-by-email.js';

const EVAL_ENV = { APPROVERS: 'U_EVAL_APPROVER', APPROVAL_REFUND_THRESHOLD: '25', LOG_LEVEL: 'silent', EMAIL_REPLIES_PER_HOUR: '100' };

/**
 * The customer and security eval suites, mail in and mail out, with the offline model: every
 * customer case passes through the email path exactly when it passes when run directly against
 * the agent (the agent issue's figures), so the email channel loses nothing and lets nothing
 * through. Ops-persona cases have no email path and are left out of both counts.
 */
describe('eval suites through the email path (offline model)', () => {
  let db: Db;
  let capture: CaptureSmtpServer;
  const config = loadConfig(EVAL_ENV);

  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seedEvalStore(db);
    await ingestKnowledgeBase(db);
    capture = await startCaptureSmtpServer();
  }, 60_000);
  afterAll(async () => {
    await capture?.close();
    await db?.close();
  });

  it.each(['customer', 'security'] as Suite[])('%s suite: same passes by email as direct', async (suite) => {
    const cases = loadSuite(suite).filter((c) => c.persona === 'customer');
    const direct: string[] = [];
    const byEmail: string[] = [];
    const failures: string[] = [];
    for (const c of cases) {
      const d = gradeCase(c, await runCase(db, config, c, new OfflineProvider()), 'offline', suite);
      if (d.passed) direct.push(c.id);
      const e = gradeCase(c, await runCaseByEmail(db, c, new OfflineProvider(), capture, EVAL_ENV), 'offline', suite);
      if (e.passed) byEmail.push(c.id);
      else failures.push(`${c.id}: ${e.failures.join('; ')}`);
    }
    console.log(`${suite} (customer cases): direct ${direct.length}/${cases.length}, by email ${byEmail.length}/${cases.length}`);
    if (failures.length) console.log(`${suite} failures by email:\n  ${failures.join('\n  ')}`);
    expect(byEmail).toEqual(direct);
  }, 600_000);
});
