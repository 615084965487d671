import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { systemActor } from '../domain/actor.js';
import { getInbox } from '../tools/get-inbox.js';
import { listLowStock } from '../tools/list-low-stock.js';
import type { AgentTool, InboxReader, ToolContext } from '../tools/tool.js';
import type { ToolOutcome } from './providers/offline-action-words.js';
import { briefingSections, type BriefingSection } from './providers/offline-ops-replies.js';

/** What the briefing asks of the inbox and of low stock, whether staff ask for it or the morning post does. */
export const BRIEFING_INBOX_INPUT = { limit: 100 } as const;
export const BRIEFING_LOW_STOCK_INPUT = { limit: 5 } as const;

/**
 * The daily briefing without a conversation: the same read tools the assistant calls, read as
 * the system, turned into the same sections its reply is made of. A tool that fails throws,
 * so a scheduled post is retried rather than sent half empty.
 */
export async function readDailyBriefing(deps: { db: Db; config: Config; inbox: InboxReader }, now: Date): Promise<BriefingSection[]> {
  const ctx: ToolContext = { db: deps.db, config: deps.config, actor: systemActor('daily-briefing'), persona: 'ops', inbox: deps.inbox };
  const outcome = async (tool: AgentTool, input: Record<string, unknown>): Promise<ToolOutcome> => {
    const data: unknown = await tool.run(tool.input.parse(input), ctx);
    // Read as the model reads a tool result: JSON, so dates are the strings the reply expects.
    return { name: tool.name, input, ok: true, data: JSON.parse(JSON.stringify(data)), error: '' };
  };
  const inbox = await outcome(getInbox, BRIEFING_INBOX_INPUT);
  const low = await outcome(listLowStock, BRIEFING_LOW_STOCK_INPUT);
  return briefingSections(inbox, low, now);
}
