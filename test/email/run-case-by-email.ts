import type { ModelProvider } from '../../src/agent/providers/model-provider.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { isDomainError } from '../../src/domain/domain-error.js';
import type { EvalCase } from '../../evals/eval-case.js';
import { EVAL_APPROVER, type CaseRun } from '../../evals/run-case.js';
import { AGENT_FIXTURE } from '../support/agent-fixture.js';
import type { CaptureSmtpServer } from './capture-smtp-server.js';
import { startEmailHarness, SUPPORT } from './email-test-harness.js';
import { createTestDns } from './test-dns.js';

// One DNS for every case: the customers' domains publish their keys once, not per case.
const dns = createTestDns();

class Rollback extends Error {
  constructor(readonly run: CaseRun) {
    super('email eval case rolled back');
  }
}

/**
 * Runs one customer eval case through the email path: each message is a mail over SMTP from the
 * customer's address (later ones as replies in the thread, quoting our last answer), each answer
 * is read back from the capture server. A `decide` step decides the first approval the way the
 * direct runner does; the outcome mail counts as a reply. Everything happens in a transaction
 * that is rolled back, so every case starts from the same store.
 */
export async function runCaseByEmail(
  db: Db,
  c: EvalCase,
  provider: ModelProvider,
  capture: CaptureSmtpServer,
  env: Record<string, string>,
): Promise<CaseRun> {
  if (c.persona !== 'customer' || !c.customer) throw new Error(`case ${c.id} is not a customer case`);
  const user = AGENT_FIXTURE.users[c.customer];
  if (!user) throw new Error(`case ${c.id}: customer ${c.customer} is not in the fixture`);
  const from = `${user.name.first_name} ${user.name.last_name} <${user.email}>`;
  try {
    await db.transaction(async (tx) => {
      const h = await startEmailHarness({ db: tx, provider, capture, env, dns });
      try {
        const replies: string[] = [];
        const toolCalls: CaseRun['toolCalls'] = [];
        let handedOff = false;
        let approvalsCreated = 0;
        let firstApproval: string | undefined;
        const ours = () => capture.messages.filter((m) => m.envelope.to.includes(user.email.toLowerCase()));
        const seen = ours().length;
        let last: { id: string; refs: string[]; text: string; subject: string } | undefined;
        const root = `<eval-${c.id}-${Date.now()}@customer.example>`;

        for (const [i, text] of c.messages.entries()) {
          const messageId = i === 0 ? root : `<eval-${c.id}-${i}-${Date.now()}@customer.example>`;
          const quoted = last ? `\n\nOn Mon, 2 Jun 2025 at 09:00, Test Shop <${SUPPORT}> wrote:\n${last.text.split('\n').map((l) => `> ${l}`).join('\n')}` : '';
          await h.send({
            from,
            subject: last ? `Re: ${last.subject.replace(/^Re: /, '')}` : text.split('\n')[0]!.slice(0, 60),
            text: `${text}${quoted}`,
            messageId,
            ...(last ? { inReplyTo: last.id, references: [...last.refs, last.id] } : {}),
          });
          await h.queue.drain();
          const reply = await capture.waitFor((m) => m.parsed.inReplyTo === messageId, 20_000);
          last = { id: reply.parsed.messageId!, refs: [...(last ? [...last.refs, last.id] : []), messageId], text: reply.parsed.text ?? '', subject: reply.parsed.subject ?? '' };
          replies.push(reply.parsed.text ?? '');
          const turn = await tx.query<{ tool_calls: CaseRun['toolCalls'] }>(
            `SELECT t.tool_calls FROM agent_turns t JOIN agent_conversations c ON c.id = t.conversation_id
              WHERE c.channel = 'email' AND c.thread_key = $1 ORDER BY t.id DESC LIMIT 1`,
            [root],
          );
          toolCalls.push(...(turn.rows[0]?.tool_calls ?? []));
        }
        const conv = await tx.query<{ handed_off_at: Date | null }>(`SELECT handed_off_at FROM agent_conversations WHERE channel = 'email' AND thread_key = $1`, [root]);
        const handoffs = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM email_handoffs h JOIN email_threads t ON t.id = h.thread_id WHERE t.root_message_id = $1`,
          [root],
        );
        handedOff = Boolean(conv.rows[0]?.handed_off_at) || (handoffs.rows[0]?.n ?? 0) > 0;
        const approvals = await tx.query<{ id: string }>(`SELECT id FROM approvals WHERE origin_channel = 'email' AND origin_thread = $1 ORDER BY created_at`, [root]);
        approvalsCreated = approvals.rows.length;
        firstApproval = approvals.rows[0]?.id;

        let decision: CaseRun['decision'] = null;
        if (c.decide && firstApproval) {
          const requester: Actor = { kind: 'person', id: user.email };
          const decider: Actor = c.decide.as === 'approver' ? EVAL_APPROVER : c.decide.as === 'customer' ? { kind: 'person', id: c.customer! } : requester;
          try {
            decision = (await h.agent.decide({ id: firstApproval, decision: c.decide.decision, decider })).status;
          } catch (err) {
            if (!isDomainError(err)) throw err;
            decision = 'refused';
          }
          await h.queue.drain();
        }
        // Mail sent after the last reply we read: the approval outcome, if any.
        const all = ours().slice(seen);
        for (const m of all) {
          const text = m.parsed.text ?? '';
          if (!replies.includes(text)) replies.push(text);
        }
        const dbRows: unknown[][] = [];
        for (const check of c.expect.db) dbRows.push((await tx.query(check.sql)).rows);
        throw new Rollback({ replies, toolCalls, handedOff, approvalsCreated, decision, dbRows });
      } finally {
        await h.close();
      }
    });
  } catch (err) {
    if (err instanceof Rollback) return err.run;
    throw err;
  }
  throw new Error('email eval case did not roll back');
}
