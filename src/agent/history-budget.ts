import type { ChatMessage } from './providers/model-provider.js';

/**
 * Bytes of message JSON per estimated token. Claude's tokenizer averages about four characters
 * of English per token; three over-counts on purpose, so a budget holds without a tokenizer call.
 */
const BYTES_PER_TOKEN = 3;

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** Estimated tokens of `messages` as they go over the wire (their JSON, see BYTES_PER_TOKEN). */
export function estimateTokens(messages: ChatMessage[]): number {
  return Math.ceil(bytesOf(messages) / BYTES_PER_TOKEN);
}

/** A turn starts with what a person (or the approval service) wrote, not with tool results. */
const startsTurn = (m: ChatMessage) =>
  m.role === 'user' && m.content.some((b) => b.type === 'text') && !m.content.some((b) => b.type === 'tool_result');

export interface FittedHistory {
  /** What to send: whole turns, newest kept, then the turn in progress. */
  messages: ChatMessage[];
  /** How many of the oldest turns were left out. */
  omittedTurns: number;
  /** Tools called in the left-out turns, by name, with how often. */
  omittedToolCalls: Map<string, number>;
}

/**
 * The conversation cut to `budgetTokens` (estimateTokens) by leaving out its oldest turns. Only
 * whole turns go (a person's message with every model reply, tool call and tool result up to the
 * next one), so what remains still starts with a user message and never holds a tool_result
 * whose tool_use was left out: the Messages API rejects both. The turn in progress, from
 * `currentTurnStart` on, is always kept whole, even when it alone is over the budget.
 */
export function fitHistoryToBudget(messages: ChatMessage[], currentTurnStart: number, budgetTokens: number): FittedHistory {
  const limit = budgetTokens * BYTES_PER_TOKEN;
  const sizes = messages.map(bytesOf);
  // JSON of the array: brackets, the messages, the commas between them.
  let total = 2 + sizes.reduce((a, b) => a + b, 0) + Math.max(messages.length - 1, 0);
  const starts: number[] = [];
  for (let i = 1; i < currentTurnStart; i++) if (startsTurn(messages[i]!)) starts.push(i);
  starts.push(currentTurnStart);

  let from = 0;
  let omittedTurns = 0;
  for (const next of starts) {
    // A stored history that does not open with a turn (cut mid-turn) loses that fragment whatever the budget.
    const fragment = from === 0 && messages[0] !== undefined && !startsTurn(messages[0]);
    if ((total <= limit && !fragment) || from >= currentTurnStart) break;
    for (let i = from; i < next; i++) total -= sizes[i]! + 1;
    from = next;
    omittedTurns++;
  }
  const omittedToolCalls = new Map<string, number>();
  for (const m of messages.slice(0, from)) {
    for (const b of m.content) if (b.type === 'tool_use') omittedToolCalls.set(b.name, (omittedToolCalls.get(b.name) ?? 0) + 1);
  }
  return { messages: messages.slice(from), omittedTurns, omittedToolCalls };
}
