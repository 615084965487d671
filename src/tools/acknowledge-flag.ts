import { z } from 'zod';
import { acknowledgeFlag as acknowledge } from '../anomaly/flags/acknowledge-flag.js';
import { flagIdArg } from './flag-id-arg.js';
import { defineTool } from './tool.js';

export const acknowledgeFlag = defineTool({
  name: 'acknowledge_flag',
  description:
    'Marks an anomaly flag as acknowledged: someone has seen it and is looking into it. It stays listed until resolved, and the same problem will not raise a second flag meanwhile. Refused for a flag that is already resolved.',
  tier: 'write',
  input: z.object({
    flag_id: flagIdArg,
    note: z.string().optional().describe('Who is on it or what happens next.'),
  }),
  async run(args, ctx) {
    return acknowledge(ctx.db, args.flag_id, ctx.actor, args.note);
  },
});
