import { z } from 'zod';

/**
 * The happenings a workflow can start on or be cancelled by, as the notification triggers map
 * outbox events onto them (see notification-triggers.ts).
 */
export const NOTIFICATION_TRIGGERS = [
  'order.confirmed',
  'order.cancelled',
  'shipment.shipped',
  'shipment.in_transit',
  'shipment.out_for_delivery',
  'shipment.delivered',
  'shipment.delayed',
  'shipment.exception',
  'return.received',
  'refund.issued',
] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'preferred', 'both'] as const;
export type WorkflowChannel = (typeof NOTIFICATION_CHANNELS)[number];

const duration = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(s|m|h|d)$/, 'must be a duration such as 30m, 2h or 1d');

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 21:00');

/**
 * A test on the run's context (see NotificationContext): `field` is a dotted path such as
 * `shipment.status` or `customer.order_count`; exactly one comparison is given. `all`, `any`
 * and `not` combine tests.
 */
export type Condition =
  | {
      field: string;
      equals?: string | number | boolean | null;
      not_equals?: string | number | boolean | null;
      in?: (string | number)[];
      not_in?: (string | number)[];
      gt?: number;
      gte?: number;
      lt?: number;
      lte?: number;
      exists?: boolean;
    }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z
      .object({
        field: z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/, 'must be a dotted path such as shipment.status'),
        equals: scalar.optional(),
        not_equals: scalar.optional(),
        in: z.array(z.union([z.string(), z.number()])).optional(),
        not_in: z.array(z.union([z.string(), z.number()])).optional(),
        gt: z.number().optional(),
        gte: z.number().optional(),
        lt: z.number().optional(),
        lte: z.number().optional(),
        exists: z.boolean().optional(),
      })
      .strict()
      .refine((c) => Object.keys(c).length === 2, { message: 'a field test takes exactly one comparison' }),
  ]),
);

/** One step: wait, branch, or send. Steps run in order; a branch runs one of its two lists. */
export type WorkflowStep =
  | { wait: string }
  | { if: Condition; then: WorkflowStep[]; else?: WorkflowStep[] }
  | { send: { template: string; channel?: WorkflowChannel } }
  | { stop: true };

export const workflowStepSchema: z.ZodType<WorkflowStep> = z.lazy(() =>
  z.union([
    z.object({ wait: duration }).strict(),
    z.object({ if: conditionSchema, then: z.array(workflowStepSchema), else: z.array(workflowStepSchema).optional() }).strict(),
    z
      .object({
        send: z
          .object({
            template: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a template name such as shipped'),
            channel: z.enum(NOTIFICATION_CHANNELS).optional(),
          })
          .strict(),
      })
      .strict(),
    z.object({ stop: z.literal(true) }).strict(),
  ]),
);

export const workflowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _'),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    enabled: z.boolean().default(true),
    /** Transactional: about an order the customer placed. Marketing needs their yes (consent). */
    category: z.enum(['transactional', 'marketing']).default('transactional'),
    trigger: z.enum(NOTIFICATION_TRIGGERS),
    /** Tested when the trigger arrives; false: the workflow does not start. */
    conditions: z.array(conditionSchema).default([]),
    /** Later happenings that make a pending message stale: the run is cancelled when one arrives. */
    cancel_on: z.array(z.enum(NOTIFICATION_TRIGGERS)).default([]),
    /** The channel of every send step that names none. */
    channel: z.enum(NOTIFICATION_CHANNELS).default('preferred'),
    /** True: sends even inside quiet hours (a delivery exception the customer must act on today). */
    ignore_quiet_hours: z.boolean().default(false),
    steps: z.array(workflowStepSchema).min(1),
  })
  .strict();
export type Workflow = z.infer<typeof workflowSchema>;

/** The workflows file: settings shared by every workflow, then the workflows. */
export const workflowsFileSchema = z
  .object({
    settings: z
      .object({
        /** IANA zone the quiet hours are read in; default STORE_TIMEZONE. */
        timezone: z.string().optional(),
        /** No message of these channels starts between `start` and `end` (store time); it waits for `end`. */
        quiet_hours: z
          .object({ start: clock, end: clock, channels: z.array(z.enum(['email', 'sms'])).default(['sms']) })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    workflows: z.array(workflowSchema),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.workflows.forEach((w, i) => {
      if (seen.has(w.id)) ctx.addIssue({ code: 'custom', path: ['workflows', i, 'id'], message: `workflow ${w.id} is defined twice` });
      seen.add(w.id);
    });
  });
export type WorkflowsFile = z.infer<typeof workflowsFileSchema>;
export type NotificationSettings = WorkflowsFile['settings'];
