import type { Config } from '../../config/config.js';
import { AnthropicProvider } from './anthropic-provider.js';
import type { ModelProvider } from './model-provider.js';
import { OfflineProvider } from './offline-provider.js';

/** Claude when an API key is configured, otherwise the offline intent model (which says so). */
export function openProvider(config: Config, name?: 'anthropic' | 'offline'): ModelProvider {
  const choice = name ?? (config.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  if (choice === 'anthropic') {
    if (!config.ANTHROPIC_API_KEY) throw new Error('ANTHROPIC_API_KEY is not set: the anthropic model cannot be used');
    return new AnthropicProvider({
      apiKey: config.ANTHROPIC_API_KEY,
      model: config.ANTHROPIC_MODEL,
      ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
    });
  }
  return new OfflineProvider();
}
