import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createAgentService } from '../../agent/agent-service.js';
import { inboxReader } from '../../console/inbox-reader.js';
import type { ApprovalView } from '../../agent/approval-view.js';
import type { RequesterVerification } from '../../agent/requester-verification.js';
import { findCustomerIdByEmail } from '../../domain/customers/customer-repository.js';
import type { Actor } from '../../domain/actor.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

type ChatAs = { persona: 'ops' } | { persona: 'customer'; email: string };

export function parseChatAs(value: string): ChatAs {
  if (value === 'ops') return { persona: 'ops' };
  const m = /^customer:(.+@.+)$/.exec(value);
  if (m) return { persona: 'customer', email: m[1]!.trim() };
  throw new CliError(`--as must be "ops" or "customer:<email>" (got "${value}")`);
}

/** One approval as the terminal shows it: what, how much, and who asked, verified how. */
export function describeApproval(a: ApprovalView): string {
  const money = a.preview.money.map((m) => `${m.direction} ${m.amount.toFixed(2)}${m.paymentMethodId ? ` (${m.paymentMethodId})` : ''}`).join(', ');
  return `${a.preview.summary}${money ? ` — money: ${money}` : ''} [${a.id}, ${a.reason}; asked by ${a.requester.id}, ${a.requesterVerification.summary}]`;
}

/**
 * `orderops chat`: the agent in the terminal. As ops, the local operator is also the approver:
 * each gated action is shown with its preview and asked y/n inline. As a customer (verified by
 * the email given), gated requests stay pending for staff to decide.
 */
export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('Talk to the orderops agent in the terminal')
    .option('--as <who>', 'ops, or customer:<email> to talk as that customer', 'ops')
    .action(async (options: { as: string }) => {
      const as = parseChatAs(options.as);
      await withDb(async (db, config) => {
        let customerId: string | undefined;
        if (as.persona === 'customer') {
          customerId = (await findCustomerIdByEmail(db, as.email)) ?? undefined;
          if (!customerId) throw new CliError(`--as: no customer with email ${as.email}`);
        }
        const agent = createAgentService({ db, config, inbox: inboxReader(db) });
        const operator: Actor = { kind: 'person', id: process.env.USER ? `local:${process.env.USER}` : 'local:operator' };
        const requester: Actor = as.persona === 'customer' ? { kind: 'person', id: as.email } : operator;
        // Whoever types here is at this machine's terminal; the customer persona is them playing that customer.
        const verification: RequesterVerification = {
          verified: true,
          summary: as.persona === 'customer' ? `local terminal operator, as customer ${as.email}` : 'local terminal operator',
        };
        const threadKey = `cli-${Date.now()}`;
        console.log(
          agent.provider.name === 'offline'
            ? 'model: offline (no ANTHROPIC_API_KEY set) — a fixed set of requests; anything else goes to a person.'
            : `model: ${agent.provider.model}`,
        );
        console.log(`talking as ${as.persona === 'ops' ? 'ops (you approve gated actions)' : `customer ${customerId}`}; empty line or Ctrl-D to quit`);
        const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
        // Lines are queued as they arrive, so piped input works as well as typing.
        const queued: string[] = [];
        const waiting: ((line: string | null) => void)[] = [];
        let closed = false;
        rl.on('line', (line) => (waiting.length ? waiting.shift()!(line) : queued.push(line)));
        rl.on('close', () => {
          closed = true;
          for (const w of waiting.splice(0)) w(null);
        });
        const ask = (prompt: string): Promise<string | null> => {
          process.stdout.write(prompt);
          if (queued.length) return Promise.resolve(queued.shift()!);
          if (closed) return Promise.resolve(null);
          return new Promise((resolve) => waiting.push(resolve));
        };
        try {
          for (;;) {
            const text = ((await ask('you> ')) ?? '').trim();
            if (!text) break;
            const turn = await agent.runTurn({
              channel: 'cli',
              threadKey,
              text,
              requester,
              verification,
              persona: as.persona,
              ...(customerId ? { customerId } : {}),
            });
            console.log(`agent> ${turn.reply}`);
            if (as.persona !== 'ops') {
              for (const approval of turn.approvals) console.log(`waiting for staff: ${describeApproval(approval)}`);
              continue;
            }
            for (const approval of turn.approvals) {
              const answer = ((await ask(`approve? ${describeApproval(approval)} [y/n] `)) ?? 'n').trim().toLowerCase();
              const decided = await agent.decide({
                id: approval.id,
                decision: answer === 'y' || answer === 'yes' ? 'approve' : 'reject',
                decider: operator,
                isApprover: true,
                allowSelfApproval: true,
              });
              if (decided.followUp) console.log(`agent> ${decided.followUp.reply}`);
            }
          }
        } finally {
          rl.close();
        }
      });
    });
}
