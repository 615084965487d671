import type { Command } from 'commander';
import { answerHandoff } from '../../channels/email/answer-handoff.js';
import { createEmailDelivery } from '../../channels/email/email-delivery.js';
import { createEmailThreadStore, KEPT_FOR_A_PERSON } from '../../channels/email/email-thread-store.js';
import { createOutboundMailer } from '../../channels/email/outbound-mailer.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

export function registerEmailCommand(program: Command): void {
  const email = program.command('email').description('Customer mail handed to a person');

  email
    .command('handoffs')
    .description('List mails waiting for a person, with the drafted reply')
    .action(async () => {
      await withDb(async (db) => {
        const store = createEmailThreadStore(db);
        const open = await store.listOpenHandoffs();
        if (open.length === 0) return void console.log('no email hand-offs are waiting');
        for (const h of open) {
          const message = await store.getMessage(h.messageId);
          console.log(`#${h.id}  ${h.createdAt.toISOString()}  from ${message?.counterpart ?? '?'}  "${message?.subject ?? ''}"  (${h.reason})`);
          console.log(`    they wrote: ${(message?.bodyText ?? '').replace(/\s+/g, ' ').slice(0, 300)}`);
          console.log(`    draft:      ${h.draftReply ? h.draftReply.replace(/\s+/g, ' ').slice(0, 300) : '(none)'}`);
        }
      });
    });

  email
    .command('held')
    .description(`List inbound mail kept without an automatic answer (${KEPT_FOR_A_PERSON.join(', ')}), newest first`)
    .option('--limit <n>', 'how many to list', '50')
    .action(async (opts: { limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive whole number, got "${opts.limit}"`);
      await withDb(async (db) => {
        const kept = await createEmailThreadStore(db).listKeptInbound(limit);
        if (kept.length === 0) return void console.log('no inbound mail is held');
        for (const m of kept) {
          console.log(`${m.createdAt.toISOString()}  ${m.outcome}  ${m.messageId}  from ${m.counterpart || '(unknown)'}  "${m.subject}"`);
          console.log(`    why:        ${m.outcomeDetail}`);
          if (m.bodyText) console.log(`    they wrote: ${m.bodyText.replace(/\s+/g, ' ').slice(0, 300)}`);
        }
      });
    });

  email
    .command('raw <messageId>')
    .description('Write the raw source kept of an unparseable mail to stdout')
    .action(async (messageId: string) => {
      await withDb(async (db) => {
        const raw = await createEmailThreadStore(db).rawSource(messageId);
        if (!raw) throw new CliError(`no raw source is kept for ${messageId} (only unparseable mail keeps one)`);
        process.stdout.write(raw);
      });
    });

  email
    .command('answer <handoffId>')
    .description('Send the answer to a handed-off mail in its thread and close the hand-off')
    .option('--text <text>', 'the answer to send')
    .option('--use-draft', 'send the drafted reply as it is')
    .action(async (handoffId: string, opts: { text?: string; useDraft?: boolean }) => {
      const id = Number(handoffId);
      if (!Number.isInteger(id) || id < 1) throw new CliError(`handoffId must be a positive whole number, got "${handoffId}"`);
      if (Boolean(opts.text) === Boolean(opts.useDraft)) throw new CliError('give exactly one of --text "<answer>" or --use-draft');
      await withDb(async (db, config) => {
        const store = createEmailThreadStore(db);
        const mailer = createOutboundMailer(config);
        try {
          const delivery = createEmailDelivery({ store, mailer, supportAddress: config.SUPPORT_EMAIL, storeName: config.STORE_NAME });
          const sent = await answerHandoff({ store, delivery }, id, opts.text ? { text: opts.text } : { useDraft: true });
          console.log(`sent ${sent.messageId} to ${sent.to} (${mailer.kind === 'smtp' ? 'SMTP_URL' : `${config.DATA_DIR}/outbox`})`);
        } finally {
          await mailer.close();
        }
      });
    });
}
