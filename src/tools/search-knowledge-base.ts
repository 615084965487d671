import { z } from 'zod';
import { ensureKnowledgeBase } from '../domain/knowledge/ingest-knowledge-base.js';
import { openEmbeddings } from '../domain/knowledge/open-embeddings.js';
import { searchKnowledgeBase as search } from '../domain/knowledge/search-knowledge-base.js';
import { defineTool } from './tool.js';
import { defaultLogger, logLine } from '../config/logger.js';

export const searchKnowledgeBase = defineTool({
  name: 'search_knowledge_base',
  description:
    "Searches the store's policies and FAQ (returns, refunds, shipping times by region, warranty, order changes) and returns the best passages, each with a citation (file#section). Use it before answering a policy question, answer only from what the passages say, and cite the passage you used. If nothing relevant comes back, say you do not know rather than inventing a policy.",
  tier: 'read',
  input: z.object({
    query: z.string().min(2).describe('The question in a few words, for example "return window for opened items".'),
    limit: z.number().int().min(1).max(8).default(3).describe('How many passages at most (default 3).'),
  }),
  async run(args, ctx) {
    const embeddings = openEmbeddings(ctx.config);
    const log = logLine(defaultLogger().child({ component: 'knowledge-base' }), 'warn');
    await ensureKnowledgeBase(ctx.db, { embeddings, log });
    const result = await search(ctx.db, args.query, { limit: args.limit, embeddings, log });
    return {
      method: result.method,
      passages: result.passages.map((p) => ({ cite: `${p.source}#${p.heading}`, text: p.content })),
    };
  },
});
