import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { releaseHeldMessages } from '../notifications/release-held-messages.js';
import { setWorkflowPaused } from '../notifications/workflow-repository.js';
import { defineTool } from './tool.js';

export const pauseNotificationWorkflow = defineTool({
  name: 'pause_notification_workflow',
  description:
    'Pauses a notification workflow (for example "delayed" while a carrier outage makes every parcel late): it starts no new runs, and its pending runs and unsent messages wait; paused: false resumes it and lets them go. For staff only. This needs a staff approval: the call returns a pending approval.',
  tier: 'approval',
  input: z.object({
    workflow_id: z.string().min(1).describe('The workflow id, for example "shipment-delayed".'),
    reason: z.string().min(3).describe('Why, shown to whoever looks at the workflow later.'),
    paused: z.boolean().default(true).describe('false resumes a paused workflow.'),
  }),
  previewChanges(result) {
    const r = result as { workflow_id: string; was_paused: boolean; paused: boolean };
    return [{ field: `notification workflow ${r.workflow_id}.paused`, before: r.was_paused, after: r.paused }];
  },
  async run(args, ctx) {
    // Pausing reaches every customer; a customer conversation never holds this tool, and never may.
    if (ctx.persona !== 'ops') throw new DomainError('forbidden', 'staff_only', 'pausing a notification workflow is for staff only');
    const { rows } = await ctx.db.query<{ paused: boolean }>('SELECT paused FROM notification_workflows WHERE id = $1', [args.workflow_id]);
    if (!rows[0]) throw new DomainError('not_found', 'workflow_not_found', `notification workflow ${args.workflow_id} not found`);
    const { stored, released } = await ctx.db.transaction(async (tx) => {
      const stored = (await setWorkflowPaused(tx, args.workflow_id, args.paused, args.reason, ctx.actor))!;
      return { stored, released: args.paused ? 0 : await releaseHeldMessages(tx, args.workflow_id) };
    });
    return { workflow_id: args.workflow_id, was_paused: rows[0].paused, paused: stored.paused, reason: args.reason, released_messages: released };
  },
});
