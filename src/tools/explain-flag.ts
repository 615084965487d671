import { z } from 'zod';
import { explainFlag as explain } from '../anomaly/flags/explain-flag.js';
import { flagIdArg } from './flag-id-arg.js';
import { defineTool } from './tool.js';

export const explainFlag = defineTool({
  name: 'explain_flag',
  description:
    'Explains one anomaly flag: what its rule checks, each reason with the numbers behind it (for an order, every risk rule that fired and its points), the current state of the order, and who acknowledged or resolved it. Use it before acting on a flag.',
  tier: 'read',
  input: z.object({ flag_id: flagIdArg }),
  async run(args, ctx) {
    return explain(ctx.db, args.flag_id);
  },
});
