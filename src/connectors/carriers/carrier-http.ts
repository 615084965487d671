import { CarrierError } from '../../domain/shipping/carrier.js';

export interface CarrierHttpOptions {
  account: string;
  baseUrl: string;
  headers: Record<string, string>;
  /** Per request; a carrier that takes longer is treated as unreachable (retryable). */
  timeoutMs?: number;
}

/** A carrier API's answer other than 2xx: its status and parsed body, for adapters that look at error codes. */
export class CarrierHttpError extends CarrierError {
  constructor(
    account: string,
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(account, message, status === 429 || status >= 500);
    this.name = 'CarrierHttpError';
  }
}

/** JSON over HTTP to one carrier API: timeouts and 5xx/429 are retryable CarrierErrors, other 4xx are not. */
export function carrierHttp(options: CarrierHttpOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  return async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
      });
    } catch (err) {
      const e = err as Error;
      const what = e.name === 'TimeoutError' ? `timed out after ${options.timeoutMs ?? 20_000} ms` : `unreachable (${e.message})`;
      throw new CarrierError(options.account, `${method} ${path} ${what}`, true);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const detail = typeof parsed === 'string' ? parsed.slice(0, 300) : JSON.stringify(parsed ?? null).slice(0, 300);
      throw new CarrierHttpError(options.account, `${method} ${path} answered ${response.status}: ${detail}`, response.status, parsed);
    }
    return parsed as T;
  };
}

export type CarrierRequest = ReturnType<typeof carrierHttp>;
