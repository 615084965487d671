import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { defineTool } from './tool.js';

const KINDS = ['approval', 'held_order', 'exception', 'sla_breach', 'flag', 'failed_job'] as const;

const hoursAndMinutes = (seconds: number) => {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h >= 48 ? `${Math.floor(h / 24)} d` : h > 0 ? `${h} h ${m} min` : `${m} min`;
};

export const getInbox = defineTool({
  name: 'get_inbox',
  description:
    'The ops briefing: what is waiting for a person, oldest first, with how long it has waited: approvals to decide, orders on hold, orders in exception, SLA breaches, open anomaly flags and failed jobs. The same list the dashboard and GET /api/inbox show. Use it when staff ask what needs attention, what is open, or for a summary of the day.',
  tier: 'read',
  input: z.object({
    kinds: z.array(z.enum(KINDS)).optional().describe('Only these kinds; all when omitted.'),
    limit: z.number().int().min(1).max(100).optional().describe('At most this many items (default 20).'),
    cursor: z.string().optional().describe('The next_cursor of the previous call, for the rest of the list.'),
  }),
  async run(args, ctx) {
    if (!ctx.inbox) throw new DomainError('invalid', 'inbox_unavailable', 'the inbox is not available in this conversation');
    const page = await ctx.inbox({ ...(args.kinds ? { kinds: args.kinds } : {}), limit: args.limit ?? 20, cursor: args.cursor ?? null });
    return {
      items: page.items.map((i) => ({
        kind: i.kind,
        id: i.ref,
        title: i.title,
        detail: i.detail,
        waiting: hoursAndMinutes(i.ageSeconds),
        since: i.since,
        ...(i.orderId ? { order_id: i.orderId } : {}),
        ...(i.customerName ? { customer: i.customerName } : {}),
      })),
      next_cursor: page.nextCursor,
    };
  },
});
