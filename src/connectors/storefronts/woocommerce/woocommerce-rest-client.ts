import { backoffDelay } from '../../../server/backoff-delay.js';
import type { CircuitBreaker } from '../../circuit-breaker.js';
import { WooCommerceApiError } from './woocommerce-api-error.js';
import { signOAuthQuery } from './woocommerce-oauth.js';
import { retryAfterMs } from '../../retry-after-ms.js';

export interface WooCommerceRestClientOptions {
  /** The store's base URL; the API is under {url}/wp-json/wc/v3. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Tries per request, the first included. */
  maxAttempts?: number;
  /** The longest wait a Retry-After may impose; a longer one fails the call (the job retries later). */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The store's circuit: a request that failed for good with no answer, a 429 or a 5xx counts. */
  breaker?: CircuitBreaker;
}

export interface WooResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface WooRequest {
  query?: Record<string, string | number>;
  body?: unknown;
  /** Carried as a header for tracing; WooCommerce itself ignores it, so every call is made idempotent by what it sends. */
  idempotencyKey?: string;
}

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * WooCommerce REST API v3. Over HTTPS it authenticates with HTTP Basic (consumer key and secret);
 * over plain HTTP, where Basic would expose the secret, every request is signed with OAuth 1.0a
 * in the query string, as WooCommerce's documentation says. 429 and 5xx are retried, honouring
 * Retry-After, a bounded number of times.
 */
export class WooCommerceRestClient {
  private readonly api: string;
  private readonly https: boolean;

  constructor(private readonly options: WooCommerceRestClientOptions) {
    this.api = `${options.url.replace(/\/+$/, '')}/wp-json/wc/v3`;
    this.https = this.api.startsWith('https:');
  }

  request<T>(method: string, path: string, req: WooRequest = {}): Promise<WooResponse<T>> {
    if (!this.options.breaker) return this.attempt<T>(method, path, req);
    return this.options.breaker.run(() => this.attempt<T>(method, path, req), isOutage);
  }

  private async attempt<T>(method: string, path: string, req: WooRequest): Promise<WooResponse<T>> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.send(method, path, req);
      } catch (err) {
        // A lost connection may have been applied; only reads and absolute writes are safe to repeat.
        if (attempt < maxAttempts && (method === 'GET' || method === 'PUT')) {
          await this.wait(backoffDelay(attempt, { firstDelayMs: 200, maxDelayMs: 5_000 }));
          continue;
        }
        throw err;
      }
      if ((res.status === 429 || res.status >= 500) && attempt < maxAttempts) {
        const asked = retryAfterMs(res.headers.get('retry-after'));
        const limit = this.options.maxRetryAfterMs ?? 30_000;
        if (asked === undefined || asked <= limit) {
          await res.arrayBuffer().catch(() => undefined);
          await this.wait(asked ?? backoffDelay(attempt, { firstDelayMs: 200, maxDelayMs: 5_000 }));
          continue;
        }
      }
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      if (res.status >= 400) {
        const e = (body ?? {}) as { code?: string; message?: string };
        throw new WooCommerceApiError(res.status, e.code ?? 'http_error', e.message ?? text.slice(0, 200));
      }
      return { status: res.status, body: body as T, headers: res.headers };
    }
  }

  private async send(method: string, path: string, req: WooRequest): Promise<Response> {
    const url = `${this.api}${path}`;
    const query: Record<string, string> = Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, String(v)]));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.https) {
      headers.authorization = `Basic ${Buffer.from(`${this.options.consumerKey}:${this.options.consumerSecret}`).toString('base64')}`;
    }
    const params = this.https
      ? query
      : signOAuthQuery({ method, url, query, consumerKey: this.options.consumerKey, consumerSecret: this.options.consumerSecret });
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.idempotencyKey) headers['x-idempotency-key'] = req.idempotencyKey;
    const qs = new URLSearchParams(params).toString();
    return fetch(qs ? `${url}?${qs}` : url, {
      method,
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
  }

  private wait(ms: number): Promise<void> {
    return (this.options.sleep ?? sleepFor)(ms);
  }
}

const isOutage = (err: unknown) => !(err instanceof WooCommerceApiError) || err.status === 429 || err.status >= 500;
