import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface WireAnswer {
  status: number;
  body: unknown;
  /** Extra response headers (paging counts, Retry-After ...). */
  headers?: Record<string, string>;
}

/**
 * What to do to the next matching call instead of (or after) answering it: a status of its own,
 * no answer at all (the client times out), or handling it and then not answering (the work is
 * done at the carrier but the client never hears, as in a crash or a lost connection).
 */
export type WireFault = { status: number; body?: unknown; headers?: Record<string, string> } | 'timeout' | 'handle-then-timeout';

interface PendingFault {
  match: (call: WireCall) => boolean;
  fault: WireFault;
  times: number;
}

/**
 * A local JSON API server on 127.0.0.1 that records every call and can be told to fail: the base
 * of the carrier wire servers. Subclasses answer `route`.
 */
export abstract class JsonWireServer {
  readonly calls: WireCall[] = [];
  private readonly faults: PendingFault[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  /** Milliseconds every answer waits, as a real API's latency: the caller is mid-call meanwhile. */
  delayMs = 0;
  /** Calls received and not yet answered (hanging ones included). */
  inFlight = 0;

  protected abstract route(call: WireCall): WireAnswer;
  /** The path prefix the API lives under (/v2 for EasyPost). */
  protected readonly prefix: string = '';

  fail(match: (call: WireCall) => boolean, fault: WireFault, times = 1): void {
    this.faults.push({ match, fault, times });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.prefix}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname;
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const call: WireCall = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body };
    this.calls.push(call);
    this.inFlight++;
    res.once('close', () => this.inFlight--);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const i = this.faults.findIndex((f) => f.match(call));
    const fault = i >= 0 ? this.faults[i]!.fault : undefined;
    if (i >= 0 && --this.faults[i]!.times <= 0) this.faults.splice(i, 1);
    if (fault === 'timeout') {
      this.hanging.add(res);
      return;
    }
    if (fault && typeof fault === 'object') return send(res, fault.status, fault.body ?? { error: 'injected failure' }, fault.headers);
    const answer = this.route(call);
    if (fault === 'handle-then-timeout') {
      this.hanging.add(res);
      return;
    }
    send(res, answer.status, answer.body, answer.headers);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
