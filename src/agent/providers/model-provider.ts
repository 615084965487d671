/**
 * The message shapes every provider speaks: a subset of the Anthropic Messages API, so stored
 * conversations replay through any provider unchanged.
 */
export interface TextBlock {
  type: 'text';
  text: string;
}
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}
/**
 * The model's reasoning as Claude returns it (adaptive thinking is on by default on current
 * models). Opaque to us: kept in the history only so the tool loop can hand it back unchanged,
 * which the API requires within one turn.
 */
export type ThinkingBlock = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock;

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

export interface ToolSpec {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

export interface ModelRequest {
  system: string;
  tools: ToolSpec[];
  messages: ChatMessage[];
  maxTokens: number;
  /** 'none' asks for text only: used for the last message of a turn that ends waiting for approval. */
  toolChoice: 'auto' | 'none';
  /** Who the conversation is with; the offline model uses it to pick templates. */
  context: { persona: 'ops' | 'customer'; customerId?: string; channel: string };
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'stop_sequence' | 'pause_turn';

export interface ModelResponse {
  content: (TextBlock | ToolUseBlock | ThinkingBlock)[];
  stopReason: StopReason;
  usage: ModelUsage;
  model: string;
}

/**
 * A model that answers one request of the turn loop. Implementations: `anthropic` (Claude over
 * the SDK), `scripted` (replays given steps) and `offline` (a deterministic intent model).
 */
export interface ModelProvider {
  readonly name: 'anthropic' | 'scripted' | 'offline';
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelResponse>;
}

export const zeroUsage = (): ModelUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
