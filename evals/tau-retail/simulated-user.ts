import { renderPrompt } from '../../src/agent/prompt-library.js';
import type { ChatMessage, ModelProvider, ModelUsage, TextBlock } from '../../src/agent/providers/model-provider.js';
import { zeroUsage } from '../../src/agent/providers/model-provider.js';

export const STOP_TOKEN = '###STOP###';

/** The support side's opening line, as in the reference environment: the customer speaks next. */
export const AGENT_GREETING = 'Hi! How can I help you today?';

/**
 * The customer of a tau-retail episode, played by a model from the task's instruction. Seen from
 * this model the roles are swapped: the support assistant's messages are its `user` turns and the
 * customer's lines are its own `assistant` turns.
 */
export class SimulatedUser {
  readonly usage: ModelUsage = zeroUsage();
  private readonly messages: ChatMessage[] = [];
  private readonly system: string;

  constructor(
    private readonly provider: ModelProvider,
    instruction: string,
  ) {
    this.system = renderPrompt('tau-simulated-user', { instruction });
  }

  /** The customer's first message, answering the greeting. */
  start(): Promise<string> {
    return this.reply(AGENT_GREETING);
  }

  /** The customer's answer to what the assistant just said. */
  async reply(agentMessage: string): Promise<string> {
    this.messages.push({ role: 'user', content: [{ type: 'text', text: agentMessage.trim() || '(no reply)' }] });
    const response = await this.provider.complete({
      system: this.system,
      tools: [],
      messages: this.messages,
      maxTokens: 1024,
      toolChoice: 'auto',
      context: { persona: 'customer', channel: 'tau-simulated-user' },
    });
    this.usage.inputTokens += response.usage.inputTokens;
    this.usage.outputTokens += response.usage.outputTokens;
    this.usage.cacheReadTokens += response.usage.cacheReadTokens;
    this.usage.cacheWriteTokens += response.usage.cacheWriteTokens;
    const text = response.content
      .filter((b): b is TextBlock => b.type === 'text')
      .map((b) => b.text)
      .join('\n')
      .trim();
    // An empty or refused answer would stall the chat; a customer who has nothing to say leaves.
    const said = response.stopReason === 'refusal' || !text ? STOP_TOKEN : text;
    this.messages.push({ role: 'assistant', content: [{ type: 'text', text: said }] });
    return said;
  }
}

export const wantsToStop = (message: string): boolean => message.includes(STOP_TOKEN);
