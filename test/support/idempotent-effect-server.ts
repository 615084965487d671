import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An outside service on 127.0.0.1 that takes `POST /effects` with an `Idempotency-Key` header,
 * the way payment and shipping APIs do: the first request with a key performs the effect (201),
 * a repeat is recognised and answered 200 without a second effect. Each answer can be delayed, or
 * held back, so a client can be killed while its request is in flight.
 */
export class IdempotentEffectServer {
  /** Every request's key, in arrival order, repeats included. */
  readonly requests: string[] = [];
  /** The keys whose effect was performed, once each. */
  readonly effects = new Set<string>();
  /** Keys whose client received the answer. */
  readonly answered = new Set<string>();
  delayMs = 0;
  private holding = false;
  private held: { res: ServerResponse }[] = [];
  private listeners: ((key: string) => void)[] = [];
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/effects`;
  }

  get duplicates(): number {
    return this.requests.length - this.effects.size;
  }

  /** Answer nothing until `dropHeld()`. */
  hold(): void {
    this.holding = true;
  }

  /** Closes the requests held back without an answer (their client never hears) and answers again. */
  dropHeld(): void {
    this.holding = false;
    for (const h of this.held.splice(0)) h.res.destroy();
  }

  /** Called on each request's arrival (before it is answered). */
  onRequest(listener: (key: string) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const key = req.headers['idempotency-key'];
        if (req.method !== 'POST' || req.url !== '/effects' || typeof key !== 'string' || key === '') {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Idempotency-Key is required' }));
          return;
        }
        this.requests.push(key);
        const status = this.effects.has(key) ? 200 : 201;
        this.effects.add(key);
        for (const l of this.listeners) l(key);
        if (this.holding) this.held.push({ res });
        else setTimeout(() => this.answer(key, res, status), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  private answer(key: string, res: ServerResponse, status: number) {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ key }), () => this.answered.add(key));
  }

  async stop(): Promise<void> {
    for (const h of this.held.splice(0)) h.res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
