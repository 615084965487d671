/**
 * Anthropic's list prices in US dollars per million tokens, first match wins; unknown models cost
 * what Sonnet costs. Opus dropped to $5 / $25 with Opus 4.5: Opus 4 and 4.1 (`claude-opus-4-0`,
 * `claude-opus-4-20250514`, `claude-opus-4-1-20250805`) and Opus 3 keep $15 / $75; Opus 4.5 and
 * later (`claude-opus-4-5`, `claude-opus-4-5-20251101`, `claude-opus-5`) have the new price, and
 * Opus 5.5 is $4 / $20. The Sonnet 5 generation (`claude-sonnet-5`, `claude-sonnet-5-5`) is
 * $2 / $10; Sonnet 4.x stays $3 / $15.
 */
const PRICES: { match: RegExp; input: number; output: number }[] = [
  { match: /fable/, input: 10, output: 50 },
  { match: /opus-5-5/, input: 4, output: 20 },
  { match: /claude-3-opus|opus-4(?:-[01])?(?:-\d{8})?(?!-?\d)/, input: 15, output: 75 },
  { match: /opus/, input: 5, output: 25 },
  { match: /sonnet-5/, input: 2, output: 10 },
  { match: /haiku-4/, input: 1, output: 5 },
  { match: /3-5-haiku/, input: 0.8, output: 4 },
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
 * five-minute caching (the only kind the provider asks for; Haiku 3's published cache prices round
 * these). Local providers cost nothing.
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
