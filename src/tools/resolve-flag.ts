import { z } from 'zod';
import { resolveFlag as resolve } from '../anomaly/flags/resolve-flag.js';
import { flagIdArg } from './flag-id-arg.js';
import { defineTool } from './tool.js';

export const resolveFlag = defineTool({
  name: 'resolve_flag',
  description:
    'Closes an anomaly flag with a note on how it ended (for example "customer verified by phone, order released"). Resolving does not change the order or the stock; use release_order, cancel_order or stock tools for that. If the problem comes back later, a new flag is raised.',
  tier: 'write',
  input: z.object({
    flag_id: flagIdArg,
    resolution: z.string().min(3).describe('How the flag was resolved.'),
  }),
  async run(args, ctx) {
    return resolve(ctx.db, args.flag_id, ctx.actor, args.resolution);
  },
});
