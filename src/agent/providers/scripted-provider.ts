import type { ModelProvider, ModelRequest, ModelResponse, TextBlock, ToolUseBlock } from './model-provider.js';
import { zeroUsage } from './model-provider.js';

/** One model response to replay: text, tool calls, or both; `refusal` replays a refused turn. */
export type ScriptStep =
  | { text: string; toolCalls?: undefined; refusal?: undefined }
  | { toolCalls: { name: string; input: Record<string, unknown> }[]; text?: string; refusal?: undefined }
  | { refusal: true; text?: string; toolCalls?: undefined };

export interface ScriptedProviderOptions {
  /** What to answer once the steps run out (default: an empty end of turn). */
  whenExhausted?: string;
}

/**
 * Replays a fixed list of steps, one per model call, for tests and replays. When the loop asks
 * for text only (a turn ending on an approval) and the next step is a tool call, it answers with
 * a short waiting text and keeps the step for the next turn.
 */
export class ScriptedProvider implements ModelProvider {
  readonly name = 'scripted' as const;
  readonly model = 'scripted';
  private readonly steps: ScriptStep[];
  private counter = 0;
  readonly requests: ModelRequest[] = [];

  constructor(steps: ScriptStep[], private readonly options: ScriptedProviderOptions = {}) {
    this.steps = [...steps];
  }

  /** Steps not yet replayed. */
  get remaining(): number {
    return this.steps.length;
  }

  push(...steps: ScriptStep[]): void {
    this.steps.push(...steps);
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const next = this.steps[0];
    if (request.toolChoice === 'none' && next?.toolCalls) {
      return this.respond([{ type: 'text', text: 'This request is waiting for approval.' }], 'end_turn');
    }
    const step = this.steps.shift();
    if (!step) return this.respond([{ type: 'text', text: this.options.whenExhausted ?? '' }], 'end_turn');
    if (step.refusal) return this.respond(step.text ? [{ type: 'text', text: step.text }] : [], 'refusal');
    const content: (TextBlock | ToolUseBlock)[] = [];
    if (step.text) content.push({ type: 'text', text: step.text });
    for (const call of step.toolCalls ?? []) {
      content.push({ type: 'tool_use', id: `toolu_scripted_${++this.counter}`, name: call.name, input: call.input });
    }
    return this.respond(content, step.toolCalls?.length ? 'tool_use' : 'end_turn');
  }

  private respond(content: (TextBlock | ToolUseBlock)[], stopReason: ModelResponse['stopReason']): ModelResponse {
    return { content, stopReason, usage: zeroUsage(), model: this.model };
  }
}
