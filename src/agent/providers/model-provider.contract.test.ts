import { afterAll, describe } from 'vitest';
import { AnthropicWireServer } from '../../../test/support/anthropic-wire-server.js';
import { AnthropicProvider } from './anthropic-provider.js';
import { runProviderContract } from './model-provider.contract.js';
import { OfflineProvider } from './offline-provider.js';
import { ScriptedProvider } from './scripted-provider.js';

describe('model provider contract', () => {
  runProviderContract('scripted', async () =>
    new ScriptedProvider([
      { toolCalls: [{ name: 'get_order_details', input: { order_id: '#W1000002' } }] },
      { text: 'Order #W1000002 has been delivered.' },
    ]),
  );

  runProviderContract('offline', async () => new OfflineProvider());

  const server = new AnthropicWireServer();
  afterAll(() => server.stop());
  runProviderContract('anthropic', async () => {
    const url = await server.start();
    server.enqueue(
      { status: 200, content: [{ type: 'tool_use', id: 'toolu_01', name: 'get_order_details', input: { order_id: '#W1000002' } }], stop_reason: 'tool_use' },
      { status: 200, content: [{ type: 'text', text: 'Order #W1000002 was delivered.' }], stop_reason: 'end_turn' },
    );
    return new AnthropicProvider({ apiKey: 'test-key', model: 'claude-sonnet-4-5', baseURL: url, maxRetries: 2 });
  });
});
