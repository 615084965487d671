/** closed: calls go through; open: calls fail fast; half_open: one probe call decides. */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** The outside service this breaker guards (`easypost`, `twilio`, `shopify:<shop>` ...). */
  service: string;
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long the first opening lasts; each reopening after a failed probe doubles it. */
  openMs?: number;
  maxOpenMs?: number;
  /** Share of the open time that is random (0.2: ±20%), so many workers do not probe at once. */
  jitter?: number;
  now?: () => number;
  random?: () => number;
  /** One line per state change, never per call. */
  log?: (line: string) => void;
  onStateChange?: (service: string, state: CircuitState) => void;
}

/**
 * Thrown instead of calling a service whose circuit is open. It is retryable: the job that got it
 * backs off and tries again, and after its last attempt lands on the dead-letter list.
 */
export class CircuitOpenError extends Error {
  readonly retryable = true;
  constructor(
    readonly service: string,
    /** When the circuit lets a probe through, as far as this breaker knows. */
    readonly retryInMs: number,
  ) {
    super(`${service} is unavailable (circuit open, next try in ${Math.ceil(retryInMs / 1000)} s)`);
    this.name = 'CircuitOpenError';
  }
}

/**
 * Counts consecutive failures of one outside service and, past the threshold, stops calling it
 * for a while; then lets one probe through, which closes the circuit or opens it again for twice
 * as long. `isFailure` tells the service's own refusals (a 4xx: it is up and answering) from its
 * outages (5xx, 429, timeouts), which alone count.
 */
export class CircuitBreaker {
  readonly service: string;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly maxOpenMs: number;
  private readonly jitter: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private current: CircuitState = 'closed';
  private failures = 0;
  private openings = 0;
  private openUntil = 0;
  private probing = false;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.service = options.service;
    this.threshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 10_000;
    this.maxOpenMs = options.maxOpenMs ?? 5 * 60_000;
    this.jitter = options.jitter ?? 0.2;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get state(): CircuitState {
    return this.current;
  }

  async run<T>(work: () => Promise<T>, isFailure: (err: unknown) => boolean = () => true): Promise<T> {
    const probe = this.admit();
    try {
      const result = await work();
      this.succeeded(probe);
      return result;
    } catch (err) {
      if (isFailure(err)) this.failed(probe, err);
      else this.succeeded(probe);
      throw err;
    }
  }

  /** Lets a call through or throws CircuitOpenError; true when the call is the half-open probe. */
  private admit(): boolean {
    if (this.current === 'closed') return false;
    const wait = this.openUntil - this.now();
    if (this.current === 'open' && wait <= 0) this.change('half_open', `${this.service}: circuit half-open, one call goes through`);
    if (this.current === 'half_open' && !this.probing) {
      this.probing = true;
      return true;
    }
    throw new CircuitOpenError(this.service, Math.max(0, wait));
  }

  // A call let through before the circuit opened may end after it: only the probe moves it on.
  private succeeded(probe: boolean) {
    if (probe) this.probing = false;
    else if (this.current !== 'closed') return;
    this.failures = 0;
    if (this.current !== 'closed') {
      this.openings = 0;
      this.change('closed', `${this.service}: circuit closed, the service answers again`);
    }
  }

  private failed(probe: boolean, err: unknown) {
    if (probe) this.probing = false;
    else if (this.current !== 'closed') return;
    this.failures++;
    if (!probe && this.failures < this.threshold) return;
    this.openings++;
    const base = Math.min(this.maxOpenMs, this.openMs * 2 ** (this.openings - 1));
    const ms = Math.round(Math.min(this.maxOpenMs, base * (1 - this.jitter + 2 * this.jitter * this.random())));
    this.openUntil = this.now() + ms;
    const why = probe ? 'the trial call failed' : `${this.failures} consecutive failures`;
    const last = err instanceof Error ? err.message : String(err);
    this.change('open', `${this.service}: circuit open for ${(ms / 1000).toFixed(1)} s after ${why} (last: ${last.slice(0, 200)})`);
  }

  private change(state: CircuitState, line: string) {
    this.current = state;
    this.options.log?.(line);
    this.options.onStateChange?.(this.service, state);
  }
}
