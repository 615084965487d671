import Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ModelProvider, ModelRequest, ModelResponse, StopReason } from './model-provider.js';

export interface AnthropicProviderOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * Claude through the official SDK. The system prompt and the tool list carry cache_control
 * breakpoints: they are identical on every call of a conversation, so after the first call they
 * are read from the prompt cache. Rate limits (429) and overload (529) are retried by the SDK.
 */
export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  private readonly client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: options.maxRetries ?? 3,
      timeout: options.timeoutMs ?? 120_000,
    });
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const tools: Anthropic.Tool[] = request.tools.map((t, i) => ({
      name: t.name,
      description: t.description,
      input_schema: t.input_schema as Anthropic.Tool.InputSchema,
      ...(i === request.tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
    }));
    const message = await this.client.messages.create({
      model: this.model,
      max_tokens: request.maxTokens,
      system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
      ...(tools.length ? { tools, tool_choice: { type: request.toolChoice } } : {}),
      messages: withThinkingOfThisTurnOnly(request.messages) as Anthropic.MessageParam[],
    });
    const content: ModelResponse['content'] = [];
    for (const block of message.content) {
      if (block.type === 'text') content.push({ type: 'text', text: block.text });
      else if (block.type === 'tool_use') {
        content.push({ type: 'tool_use', id: block.id, name: block.name, input: (block.input ?? {}) as Record<string, unknown> });
      } else if (block.type === 'thinking') content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
      else if (block.type === 'redacted_thinking') content.push({ type: 'redacted_thinking', data: block.data });
    }
    return {
      content,
      stopReason: (message.stop_reason ?? 'end_turn') as StopReason,
      usage: {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
      },
      model: message.model,
    };
  }
}

const isThinking = (b: ChatMessage['content'][number]) => b.type === 'thinking' || b.type === 'redacted_thinking';

/**
 * The API wants the thinking blocks of the turn in progress back unchanged (its tool loop continues
 * from them) and none from earlier turns: those are tied to the model and request that made them,
 * so after a model change they would be refused. A turn starts at the last user message that is not
 * only tool results.
 */
export function withThinkingOfThisTurnOnly(messages: ChatMessage[]): ChatMessage[] {
  let start = 0;
  messages.forEach((m, i) => {
    if (m.role === 'user' && m.content.some((b) => b.type !== 'tool_result')) start = i;
  });
  return messages.map((m, i) => {
    if (i >= start || m.role !== 'assistant' || !m.content.some(isThinking)) return m;
    const content = m.content.filter((b) => !isThinking(b));
    return { ...m, content: content.length ? content : [{ type: 'text', text: '(thinking omitted)' }] };
  });
}
