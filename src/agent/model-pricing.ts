/** US dollars per million tokens, by model family; unknown models cost what Sonnet costs. */
const PRICES: { match: RegExp; input: number; output: number }[] = [
  { match: /opus-4-[15]|opus-4$/, input: 15, output: 75 },
  { match: /opus/, input: 5, output: 25 },
  { match: /haiku-4|haiku-3-5/, input: 1, output: 5 },
  { match: /haiku/, input: 0.25, output: 1.25 },
  { match: /sonnet/, input: 3, output: 15 },
];

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/**
 * Cost of one call: cache writes bill at 1.25x input and cache reads at 0.1x, as the API prices
 * five-minute caching. Local providers cost nothing.
 */
export function costUsd(provider: string, model: string, usage: TokenCounts): number {
  if (provider !== 'anthropic') return 0;
  const price = PRICES.find((p) => p.match.test(model)) ?? PRICES[PRICES.length - 1]!;
  const perToken = (usd: number) => usd / 1_000_000;
  return (
    usage.inputTokens * perToken(price.input) +
    usage.cacheWriteTokens * perToken(price.input * 1.25) +
    usage.cacheReadTokens * perToken(price.input * 0.1) +
    usage.outputTokens * perToken(price.output)
  );
}
