import type { CircuitBreaker } from '../../circuit-breaker.js';
import { retryAfterMs } from '../../retry-after-ms.js';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface ShopifyGraphqlOptions {
  /** The Admin GraphQL endpoint (…/admin/api/<version>/graphql.json). */
  url: string;
  accessToken: string;
  /** Tries per request, counting the first, across THROTTLED, 429 and 5xx answers (5xx only for a query or an @idempotent mutation). */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Longest single wait honoured (a Retry-After beyond it is capped). */
  maxWaitMs?: number;
  /** The shop's circuit: a request that failed for good with no answer, a 429 or a 5xx counts. */
  breaker?: CircuitBreaker;
}

export interface GraphqlResult<T> {
  data: T;
  cost: { requestedQueryCost: number | null; actualQueryCost: number | null; throttleStatus: ThrottleStatus | null };
}

/** A GraphQL answer with top-level errors (other than THROTTLED), or a refused HTTP status. */
export class ShopifyGraphqlError extends Error {
  constructor(message: string, readonly status: number, readonly errors: unknown) {
    super(message);
    this.name = 'ShopifyGraphqlError';
  }
}

const DEFAULT_COST = 50;

/**
 * Sends Admin GraphQL requests and keeps to Shopify's cost-based throttle: every answer's
 * `extensions.cost` (the bucket's level, restore rate, what the query asked for) is remembered,
 * and the next request waits until the bucket has refilled enough for it. A THROTTLED answer is
 * retried after the refill time; HTTP 429 after its Retry-After; 5xx and network errors after a
 * short backoff, except for a mutation that carries no @idempotent key.
 */
export function createShopifyGraphql(options: ShopifyGraphqlOptions) {
  const maxAttempts = options.maxAttempts ?? 6;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  let bucket: { status: ThrottleStatus; at: number } | null = null;
  const costs = new Map<string, number>();
  const stats = { requests: 0, throttled: 0, rateLimited: 0, waitedMs: 0 };

  const wait = async (ms: number) => {
    const capped = Math.min(Math.max(0, Math.ceil(ms)), maxWaitMs);
    if (capped <= 0) return;
    stats.waitedMs += capped;
    await new Promise((r) => setTimeout(r, capped));
  };
  // How long until the bucket, as last reported and refilling since, holds `cost` points.
  const refillMs = (cost: number): number => {
    if (!bucket) return 0;
    const { currentlyAvailable, restoreRate, maximumAvailable } = bucket.status;
    const now = currentlyAvailable + ((Date.now() - bucket.at) / 1000) * restoreRate;
    const need = Math.min(cost, maximumAvailable);
    return now >= need || restoreRate <= 0 ? 0 : ((need - now) / restoreRate) * 1000;
  };

  function request<T>(operation: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<T>> {
    if (!options.breaker) return send<T>(operation, query, variables);
    return options.breaker.run(() => send<T>(operation, query, variables), isOutage);
  }

  async function send<T>(operation: string, query: string, variables: Record<string, unknown>): Promise<GraphqlResult<T>> {
    // A mutation without an idempotency key may have been applied when its answer is lost (a
    // timeout, a dropped connection, a 5xx): sending it again could apply it twice, so the caller
    // decides, after looking at what Shopify holds. THROTTLED and 429 were not applied and retry.
    const replayable = !isMutation(query) || /@idempotent\s*\(/.test(query);
    for (let attempt = 1; ; attempt++) {
      await wait(refillMs(costs.get(operation) ?? DEFAULT_COST));
      stats.requests++;
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': options.accessToken },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
        });
      } catch (err) {
        if (attempt >= maxAttempts || !replayable) throw new ShopifyGraphqlError(`Shopify ${operation}: ${(err as Error).message}`, 0, null);
        await wait(backoff(attempt));
        continue;
      }
      if (res.status === 429) {
        stats.rateLimited++;
        await res.arrayBuffer().catch(() => undefined);
        if (attempt >= maxAttempts) throw new ShopifyGraphqlError(`Shopify ${operation}: 429 Too Many Requests after ${attempt} tries`, 429, null);
        await wait(retryAfterMs(res.headers.get('retry-after')) ?? 1000);
        continue;
      }
      if (res.status >= 500) {
        await res.arrayBuffer().catch(() => undefined);
        if (attempt >= maxAttempts || !replayable) throw new ShopifyGraphqlError(`Shopify ${operation}: HTTP ${res.status} after ${attempt} tries`, res.status, null);
        await wait(backoff(attempt));
        continue;
      }
      const body = (await res.json().catch(() => null)) as { data?: T; errors?: unknown; extensions?: { cost?: GraphqlResult<T>['cost'] } } | null;
      const cost = body?.extensions?.cost;
      if (cost?.throttleStatus) bucket = { status: cost.throttleStatus, at: Date.now() };
      if (typeof cost?.requestedQueryCost === 'number') costs.set(operation, cost.requestedQueryCost);
      if (res.status !== 200 || !body) {
        throw new ShopifyGraphqlError(`Shopify ${operation}: HTTP ${res.status} ${JSON.stringify(body?.errors ?? body)}`, res.status, body?.errors);
      }
      if (isThrottled(body.errors)) {
        stats.throttled++;
        if (attempt >= maxAttempts) throw new ShopifyGraphqlError(`Shopify ${operation}: still throttled after ${attempt} tries`, 200, body.errors);
        // The refill wait below reads the bucket this answer reported; at least a beat so a stale level cannot spin.
        await wait(Math.max(refillMs(costs.get(operation) ?? DEFAULT_COST), 50));
        continue;
      }
      if (body.errors) throw new ShopifyGraphqlError(`Shopify ${operation}: ${JSON.stringify(body.errors)}`, 200, body.errors);
      return {
        data: body.data as T,
        cost: {
          requestedQueryCost: cost?.requestedQueryCost ?? null,
          actualQueryCost: cost?.actualQueryCost ?? null,
          throttleStatus: cost?.throttleStatus ?? null,
        },
      };
    }
  }

  return { request, stats, throttleStatus: () => bucket?.status ?? null };
}

export type ShopifyGraphql = ReturnType<typeof createShopifyGraphql>;

const isOutage = (err: unknown) => !(err instanceof ShopifyGraphqlError) || err.status === 0 || err.status === 429 || err.status >= 500;

const isMutation = (query: string) => /^\s*mutation\b/.test(query.replace(/^\s*#.*$/gm, ''));

function isThrottled(errors: unknown): boolean {
  return Array.isArray(errors) && errors.some((e) => (e as { extensions?: { code?: string } })?.extensions?.code === 'THROTTLED');
}

const backoff = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 4000);
