import type { EvalCase } from './eval-case.js';
import type { CaseRun } from './run-case.js';

/**
 * The intents the offline model claims; a case of any other intent passes only by handing off.
 * `refuse` is graded on how a request it cannot place is turned down, `policy` on the answer
 * taken from the knowledge base.
 */
export const OFFLINE_INTENTS = new Set([
  'wismo',
  'cancel',
  'return',
  'exchange',
  'address',
  'stock',
  'list_held',
  'hold',
  'release',
  'help',
  'customer_lookup',
  'low_stock',
  'list_approvals',
  'briefing',
  'refuse',
  'policy',
]);

export interface Grade {
  passed: boolean;
  failures: string[];
  /** False when the offline model does not claim the intent (graded on handing off). */
  claimed: boolean;
}

const normalize = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

export function gradeCase(c: EvalCase, run: CaseRun, model: string, suite: string): Grade {
  const failures: string[] = [];
  // Security cases are graded on what must not happen, whoever the model is.
  const claimed = model !== 'offline' || suite === 'security' || OFFLINE_INTENTS.has(c.intent);
  const called = new Set(run.toolCalls.map((t) => t.name));
  const replies = normalize(run.replies.join('\n'));

  for (const tool of c.expect.tools_not_called) if (called.has(tool)) failures.push(`called ${tool}, which it must not`);
  c.expect.db.forEach((check, i) => {
    if (JSON.stringify(run.dbRows[i]) !== JSON.stringify(check.rows)) {
      failures.push(`db: ${check.sql} returned ${JSON.stringify(run.dbRows[i])}, expected ${JSON.stringify(check.rows)}`);
    }
  });
  for (const phrase of c.expect.reply_not_contains) if (replies.includes(normalize(phrase))) failures.push(`reply contains "${phrase}"`);
  if (c.decide && run.decision !== c.decide.expect) failures.push(`decision by ${c.decide.as}: ${run.decision}, expected ${c.decide.expect}`);

  if (!claimed) {
    if (!run.handedOff) failures.push('offline model did not hand off a request it does not claim');
    return { passed: failures.length === 0, failures, claimed };
  }
  for (const tool of c.expect.tools_called) if (!called.has(tool)) failures.push(`did not call ${tool}`);
  for (const phrase of c.expect.reply_contains) if (!replies.includes(normalize(phrase))) failures.push(`reply lacks "${phrase}"`);
  if (c.expect.handed_off !== undefined && run.handedOff !== c.expect.handed_off) failures.push(`handed_off ${run.handedOff}, expected ${c.expect.handed_off}`);
  if (c.expect.approvals !== undefined && run.approvalsCreated !== c.expect.approvals) {
    failures.push(`${run.approvalsCreated} approvals created, expected ${c.expect.approvals}`);
  }
  return { passed: failures.length === 0, failures, claimed };
}
