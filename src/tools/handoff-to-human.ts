import { z } from 'zod';
import { markHandedOff } from '../agent/conversation-store.js';
import { defineTool } from './tool.js';

export const HANDOFF_TOOL = 'handoff_to_human';

export const handoffToHuman = defineTool({
  name: HANDOFF_TOOL,
  description:
    'Hands the conversation to a person on the team. Use it when the request is outside what your tools can do, when the person asks for a human, or when you are unsure; never guess instead. Write a summary a colleague can act on without rereading the thread. After calling it, tell the person someone will follow up.',
  tier: 'read',
  input: z.object({
    summary: z.string().min(5).describe('What the person wants, what you found, and what is left to do.'),
  }),
  async run(args, ctx) {
    if (ctx.conversationId !== undefined) await markHandedOff(ctx.db, ctx.conversationId, args.summary);
    return { handed_off: true, summary: args.summary };
  },
});
