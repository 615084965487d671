import { expect, it } from 'vitest';
import type { ModelProvider, ModelRequest, ToolUseBlock } from './model-provider.js';

/**
 * The behaviour every model provider shares, run once per implementation: asked where an order
 * is, with the order tool available, it calls the tool with the order id; given the tool result,
 * it answers in text. `setup` prepares the provider for exactly that exchange.
 */
export function runProviderContract(name: string, setup: () => Promise<ModelProvider>): void {
  const request = (messages: ModelRequest['messages']): ModelRequest => ({
    system: 'You help with orders.',
    tools: [
      {
        name: 'get_order_details',
        description: 'Returns one order.',
        input_schema: { type: 'object', properties: { order_id: { type: 'string', description: 'order id' } }, required: ['order_id'] },
      },
    ],
    messages,
    maxTokens: 512,
    toolChoice: 'auto',
    context: { persona: 'ops', channel: 'cli' },
  });

  it(`${name}: calls a tool, then answers from its result`, async () => {
    const provider = await setup();
    const question = { role: 'user' as const, content: [{ type: 'text' as const, text: 'Where is order #W1000002?' }] };
    const first = await provider.complete(request([question]));
    expect(first.stopReason).toBe('tool_use');
    const call = first.content.find((b): b is ToolUseBlock => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_order_details', input: { order_id: '#W1000002' } });
    expect(call!.id).toMatch(/\S+/);
    for (const key of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) {
      expect(Number.isInteger(first.usage[key])).toBe(true);
    }

    const second = await provider.complete(
      request([
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: call!.id,
              content: JSON.stringify({ order_id: '#W1000002', status: 'delivered', fulfillments: [{ tracking_id: ['TRK1'], item_ids: [] }] }),
            },
          ],
        },
      ]),
    );
    expect(second.stopReason).toBe('end_turn');
    expect(second.content.some((b) => b.type === 'tool_use')).toBe(false);
    const text = second.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    expect(text).toMatch(/delivered/i);
    expect(provider.model).toMatch(/\S/);
  });
}
