import { z } from 'zod';
import { listFlags as list } from '../anomaly/flags/list-flags.js';
import { defineTool } from './tool.js';

export const listFlags = defineTool({
  name: 'list_flags',
  description:
    'Lists anomaly flags, newest first: suspicious orders (risk score and reasons), stock problems (projected stock-out, demand spike, negative stock, reservation drift) and stuck orders or shipments (past SLA, carrier exception, past promised date). By default only flags that are not resolved. Use explain_flag for the full story of one flag.',
  tier: 'read',
  input: z.object({
    status: z.enum(['open', 'acknowledged', 'resolved', 'unresolved', 'any']).optional().describe("Which flags: 'unresolved' (default) is open plus acknowledged."),
    category: z.enum(['risk', 'stock', 'operations']).optional().describe('Only order risk, stock, or operations flags.'),
    subject_id: z.string().optional().describe('Only flags about this order id or stock item ("variant@location").'),
    limit: z.number().int().min(1).max(100).optional().describe('At most this many flags (default 20).'),
  }),
  async run(args, ctx) {
    const flags = await list(ctx.db, {
      ...(args.status ? { status: args.status } : {}),
      ...(args.category ? { category: args.category } : {}),
      ...(args.subject_id ? { subjectId: args.subject_id } : {}),
      limit: args.limit ?? 20,
    });
    return flags.map((f) => ({
      id: f.id,
      subject: `${f.subjectType} ${f.subjectId}`,
      rule: f.rule,
      severity: f.severity,
      score: f.score,
      status: f.status,
      title: f.title,
      reasons: f.reasons,
      last_seen_at: f.lastSeenAt,
      occurrences: f.occurrences,
    }));
  },
});
