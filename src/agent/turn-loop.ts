import type { ApprovalView } from './approval-view.js';
import { fitHistoryToBudget } from './history-budget.js';
import { costUsd } from './model-pricing.js';
import { loadPrompt, renderPrompt } from './prompt-library.js';
import type {
  ChatMessage,
  ModelProvider,
  ModelRequest,
  ModelUsage,
  TextBlock,
  ToolResultBlock,
  ToolSpec,
  ToolUseBlock,
} from './providers/model-provider.js';
import { zeroUsage } from './providers/model-provider.js';
import type { ToolCallOutcome } from './tool-executor.js';

export interface TurnLoopInput {
  provider: ModelProvider;
  system: string;
  tools: ToolSpec[];
  /** The conversation so far, ending with the new user message. */
  messages: ChatMessage[];
  context: ModelRequest['context'];
  maxIterations: number;
  maxTokens?: number;
  /**
   * Most estimated tokens of messages per model call (AGENT_HISTORY_TOKENS): past it the oldest
   * turns are left out of the request (never out of `messages`) and the system prompt says so.
   */
  historyTokens?: number;
  execute(call: ToolUseBlock): Promise<ToolCallOutcome>;
}

export interface TurnLoopResult {
  reply: string;
  /** Messages this turn added after the input messages (assistant turns and tool results). */
  added: ChatMessage[];
  approvals: ApprovalView[];
  handedOff: boolean;
  iterations: number;
  stopReason: string;
  usage: ModelUsage & { costUsd: number };
  toolCalls: { name: string; isError: boolean; approvalId?: string }[];
}

const textOf = (blocks: ChatMessage['content']) =>
  blocks
    .filter((b): b is TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('\n')
    .trim();

/** The system prompt and messages of one call, cut to the history budget (see TurnLoopInput.historyTokens). */
function requestWithinBudget(system: string, messages: ChatMessage[], currentTurnStart: number, budget: number | undefined) {
  if (budget === undefined) return { system, messages };
  const fitted = fitHistoryToBudget(messages, currentTurnStart, budget);
  if (fitted.omittedTurns === 0) return { system, messages: fitted.messages };
  const tools = [...fitted.omittedToolCalls].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ') || 'none';
  return { system: `${system}\n\n${renderPrompt('history-omitted', { turns: fitted.omittedTurns, tools })}`, messages: fitted.messages };
}

/**
 * One turn: ask the model, run the tools it calls, feed the results back, until it answers in
 * text. Stops on a refusal and after `maxIterations` model calls. When a call became an approval,
 * the model gets one last text-only call to tell the person the request is waiting.
 */
export async function runTurnLoop(input: TurnLoopInput): Promise<TurnLoopResult> {
  const messages = [...input.messages];
  const added: ChatMessage[] = [];
  const push = (m: ChatMessage) => {
    messages.push(m);
    added.push(m);
  };
  const usage = zeroUsage();
  const approvals: ApprovalView[] = [];
  const toolCalls: TurnLoopResult['toolCalls'] = [];
  let handedOff = false;
  let waiting = false;
  const currentTurnStart = input.messages.length - 1;

  for (let iteration = 1; iteration <= input.maxIterations; iteration++) {
    const request = requestWithinBudget(input.system, messages, currentTurnStart, input.historyTokens);
    const response = await input.provider.complete({
      system: request.system,
      tools: input.tools,
      messages: request.messages,
      maxTokens: input.maxTokens ?? 2048,
      toolChoice: waiting ? 'none' : 'auto',
      context: input.context,
    });
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    usage.cacheReadTokens += response.usage.cacheReadTokens;
    usage.cacheWriteTokens += response.usage.cacheWriteTokens;
    const cost = () => costUsd(input.provider.name, response.model, usage);
    const done = (reply: string, stopReason: string): TurnLoopResult => ({
      reply,
      added,
      approvals,
      handedOff,
      iterations: iteration,
      stopReason,
      usage: { ...usage, costUsd: cost() },
      toolCalls,
    });

    if (response.stopReason === 'refusal') {
      const reply = loadPrompt('refusal-reply');
      push({ role: 'assistant', content: [{ type: 'text', text: reply }] });
      return done(reply, 'refusal');
    }
    const toolUses = response.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    if (toolUses.length === 0 || waiting) {
      // A text-only answer ends the turn; tool calls after an approval are dropped unrun, so the
      // stored history never holds a tool_use without its result.
      const text = textOf(response.content) || (waiting ? 'Your request is waiting for approval by our team.' : '');
      push({ role: 'assistant', content: [{ type: 'text', text }] });
      return done(text, waiting ? 'awaiting_approval' : response.stopReason);
    }
    push({ role: 'assistant', content: response.content });
    const results: ToolResultBlock[] = [];
    for (const call of toolUses) {
      const outcome = await input.execute(call);
      results.push({ type: 'tool_result', tool_use_id: call.id, content: outcome.content, ...(outcome.isError ? { is_error: true } : {}) });
      toolCalls.push({ name: call.name, isError: outcome.isError, ...(outcome.approval ? { approvalId: outcome.approval.id } : {}) });
      if (outcome.approval) {
        approvals.push(outcome.approval);
        waiting = true;
      }
      if (outcome.handedOff) handedOff = true;
    }
    push({ role: 'user', content: results });
  }
  const reply = loadPrompt('iteration-limit-reply');
  push({ role: 'assistant', content: [{ type: 'text', text: reply }] });
  return {
    reply,
    added,
    approvals,
    handedOff: true,
    iterations: input.maxIterations,
    stopReason: 'max_iterations',
    usage: { ...usage, costUsd: costUsd(input.provider.name, input.provider.model, usage) },
    toolCalls,
  };
}
