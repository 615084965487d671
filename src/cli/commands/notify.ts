import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/config.js';
import type { Db } from '../../db/db.js';
import { listOrderShipments } from '../../domain/shipping/shipment-repository.js';
import { loadNotificationContext } from '../../notifications/load-notification-context.js';
import type { NotificationContext } from '../../notifications/notification-context.js';
import { notificationLinks } from '../../notifications/notification-links.js';
import { isShipmentTrigger } from '../../notifications/notification-triggers.js';
import { createNotificationRenderer, type NotificationRenderer } from '../../notifications/render-notification.js';
import { sampleNotificationContext } from '../../notifications/sample-notification-context.js';
import { loadSigningSecret } from '../../notifications/signing-secret.js';
import type { Workflow, WorkflowsFile } from '../../notifications/workflow.js';
import { listWorkflows } from '../../notifications/workflow-repository.js';
import { readWorkflowsFile, templatesDirOf, templatesOf } from '../../notifications/workflows-file.js';
import { normalizeOrderId } from '../../tools/order-id-arg.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

async function openWorkflows(config: Config): Promise<{ file: WorkflowsFile; renderer: NotificationRenderer }> {
  const renderer = createNotificationRenderer(templatesDirOf(config.NOTIFICATIONS_FILE), { timezone: config.STORE_TIMEZONE });
  try {
    return { file: await readWorkflowsFile(config.NOTIFICATIONS_FILE, (t) => renderer.has(t)), renderer };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`NOTIFICATIONS_FILE: ${config.NOTIFICATIONS_FILE} does not exist`);
    throw new CliError((err as Error).message);
  }
}

async function orderContext(db: Db, config: Config, workflow: Workflow, orderId: string): Promise<NotificationContext> {
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`;
  const links = notificationLinks(publicUrl, await loadSigningSecret(db, config.SIGNING_SECRET));
  const shipments = (await listOrderShipments(db, orderId)).filter((s) => !s.voidedAt);
  const { rows: refunds } = await db.query<{ amount: string; currency: string }>(
    `SELECT p.amount::text AS amount, o.currency FROM payments p JOIN orders o ON o.id = p.order_id
      WHERE p.order_id = $1 AND p.kind = 'refund' ORDER BY p.position DESC LIMIT 1`,
    [orderId],
  );
  const context = await loadNotificationContext(
    db,
    {
      orderId,
      shipmentId: isShipmentTrigger(workflow.trigger) ? (shipments[shipments.length - 1]?.id ?? null) : null,
      trigger: workflow.trigger,
      refund: refunds[0] ?? null,
      category: workflow.category,
    },
    { store: { name: config.STORE_NAME, supportEmail: config.SUPPORT_EMAIL, publicUrl, timezone: config.STORE_TIMEZONE }, links },
  );
  if (!context) throw new CliError(`--order: order ${orderId} not found`);
  return context;
}

export function registerNotifyCommand(program: Command): void {
  const notify = program.command('notify').description('Customer notifications: the workflows in force and what they send');

  notify
    .command('workflows')
    .description('List the workflows of NOTIFICATIONS_FILE: trigger, channel, and whether each is paused')
    .action(async () => {
      const config = loadConfig();
      const { file } = await openWorkflows(config);
      let state = new Map<string, string>();
      let note = '';
      try {
        state = await withDb(async (db) =>
          new Map((await listWorkflows(db)).map((w) => [w.workflow.id, w.paused ? `paused: ${w.pausedReason || 'no reason given'}${w.pausedBy ? ` (${w.pausedBy})` : ''}` : 'active'])),
        );
      } catch (err) {
        note = `(pause state unknown: ${(err as Error).message})`;
      }
      console.log(`${config.NOTIFICATIONS_FILE}: ${file.workflows.length} workflow(s)`);
      for (const w of file.workflows) {
        const st = !w.enabled ? 'disabled' : note ? '' : (state.get(w.id) ?? 'not loaded yet');
        console.log(`  ${w.id.padEnd(20)} ${w.trigger.padEnd(26)} ${w.channel.padEnd(9)} ${templatesOf(w.steps).join(', ').padEnd(40)} ${st}`.trimEnd());
      }
      if (note) console.log(note);
    });

  notify
    .command('preview')
    .description("Render a workflow's first message with an order's real data, or with sample data when no order is given")
    .argument('<workflow>', 'the workflow id, e.g. shipped')
    .option('--order <id>', 'the order whose data the message shows, e.g. "#W1234567"')
    .option('--channel <channel>', 'email or sms (default: both)')
    .action(async (id: string, options: { order?: string; channel?: string }) => {
      if (options.channel !== undefined && options.channel !== 'email' && options.channel !== 'sms') {
        throw new CliError(`--channel: must be email or sms, not "${options.channel}"`);
      }
      const config = loadConfig();
      const { file, renderer } = await openWorkflows(config);
      const workflow = file.workflows.find((w) => w.id === id);
      if (!workflow) throw new CliError(`<workflow>: no workflow "${id}" in ${config.NOTIFICATIONS_FILE} (there are: ${file.workflows.map((w) => w.id).join(', ')})`);
      const template = templatesOf(workflow.steps)[0];
      if (!template) throw new CliError(`<workflow>: ${id} sends nothing`);
      let context: NotificationContext;
      if (options.order !== undefined) {
        const orderId = normalizeOrderId(options.order);
        if (!orderId) throw new CliError('--order: give the order id');
        context = await withDb((db) => orderContext(db, config, workflow, orderId));
      } else {
        context = sampleNotificationContext(workflow.trigger);
      }
      const rendered = await renderer.render(template, context);
      console.log(`${workflow.id} (${workflow.trigger}) sends ${template}, shown with ${options.order ? `order ${context.order.id}` : 'sample data'}`);
      if (options.channel !== 'sms') {
        console.log(`\n--- email to ${context.customer.email}\nSubject: ${rendered.subject}\n\n${rendered.text}\n--- html\n${rendered.html}`);
      }
      if (options.channel !== 'email') {
        console.log(`\n--- sms to ${context.customer.phone ?? '(no phone number that can take a text)'} (${rendered.sms.length} characters)\n${rendered.sms}`);
      }
    });
}
