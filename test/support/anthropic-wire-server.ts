import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

/** What the server answers to one request: a Messages API message, or an error status. */
export type WireReply =
  | { status: 200; content: any[]; stop_reason: string; usage?: Record<string, number> }
  | { status: 429 | 529 | 500; error: { type: string; message: string } };

/**
 * A local server on 127.0.0.1 that speaks the Anthropic Messages API (POST /v1/messages) well
 * enough for the official SDK: it answers with the replies it is given, in order, and records
 * every request so tests can check what went over the wire.
 */
export class AnthropicWireServer {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: (WireReply | ((req: RecordedRequest) => WireReply))[] = [];
  private server: Server | undefined;
  private counter = 0;

  enqueue(...replies: (WireReply | ((req: RecordedRequest) => WireReply))[]): void {
    this.replies.push(...replies);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = { path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : null };
    this.requests.push(recorded);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++this.counter}`, ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !recorded.path.startsWith('/v1/messages')) {
      send(404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method} ${recorded.path}` } });
      return;
    }
    // The SDK sends the key as x-api-key or, in newer versions, as a bearer token.
    if (!req.headers['x-api-key'] && !/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      send(401, { type: 'error', error: { type: 'authentication_error', message: 'x-api-key or authorization header is required' } });
      return;
    }
    const next = this.replies.shift();
    if (!next) {
      send(500, { type: 'error', error: { type: 'api_error', message: 'wire server has no reply queued' } });
      return;
    }
    const reply = typeof next === 'function' ? next(recorded) : next;
    if (reply.status !== 200) {
      // retry-after-ms keeps the SDK's backoff short in tests; the SDK reads it as documented.
      send(reply.status, { type: 'error', error: reply.error }, { 'retry-after-ms': '5' });
      return;
    }
    send(200, {
      id: `msg_${this.counter}`,
      type: 'message',
      role: 'assistant',
      model: recorded.body.model,
      content: reply.content,
      stop_reason: reply.stop_reason,
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...reply.usage },
    });
  }
}
