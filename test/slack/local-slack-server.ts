import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/** One Web API call as the local Slack received it. */
export interface RecordedSlackCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
  at: number;
}

export interface LocalSlackUser {
  id: string;
  name?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_restricted?: boolean;
}

export interface LocalSlackOptions {
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** Delay before each answer, to look like a real network in benchmarks. */
  latencyMs?: number;
}

/**
 * How the local Slack misbehaves: `hang` accepts each request and never answers (a black-holed
 * route), `reset` drops the connection at once (a proxy refusing), `none` answers normally.
 */
export type LocalSlackOutage = 'none' | 'hang' | 'reset';

/**
 * A Slack Web API on 127.0.0.1 for tests and benchmarks. It speaks the wire format the real API
 * does (form-encoded or JSON request bodies, bearer token, `{ ok, ... }` answers) for the methods
 * orderops calls, records every call, and keeps posted messages so `chat.update` can be checked.
 */
export class LocalSlackServer {
  readonly calls: RecordedSlackCall[] = [];
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  private readonly users = new Map<string, LocalSlackUser>();
  private readonly groups = new Map<string, string[]>();
  private readonly waiters = new Set<() => void>();
  private server: Server | undefined;
  private tsCounter = 0;
  private baseTs = Math.floor(Date.now() / 1000);
  private readonly latencyMs: number;
  private outage: LocalSlackOutage = 'none';

  constructor(options: LocalSlackOptions = {}) {
    this.botUserId = options.botUserId ?? 'UBOT0RDER';
    this.botId = options.botId ?? 'BBOT0RDER';
    this.teamId = options.teamId ?? 'T0RDEROPS';
    this.latencyMs = options.latencyMs ?? 0;
    this.users.set(this.botUserId, { id: this.botUserId, name: 'orderops', is_bot: true });
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('local Slack is not started');
    return `http://127.0.0.1:${address.port}/api/`;
  }

  /** Makes every following request hang or fail until set back to `none`; such requests are not recorded. */
  setOutage(outage: LocalSlackOutage): this {
    this.outage = outage;
    return this;
  }

  addUser(user: LocalSlackUser): this {
    this.users.set(user.id, user);
    return this;
  }

  addUserGroup(id: string, members: string[]): this {
    this.groups.set(id, members);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (this.outage === 'hang') return;
      if (this.outage === 'reset') {
        req.socket.destroy();
        return;
      }
      void this.handle(req).then(
        (answer) => {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(answer));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  callsOf(method: string): RecordedSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (in order of arrival) matching `predicate`, waiting for it if needed. */
  async waitForCall(
    predicate: (call: RecordedSlackCall) => boolean,
    { timeoutMs = 10_000, description = 'a matching Slack call' } = {},
  ): Promise<RecordedSlackCall> {
    const found = this.calls.find(predicate);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.calls.find(predicate);
        if (hit) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${description}; calls so far: ${this.calls.map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${this.baseTs}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    this.calls.push({ method, token, args, at: Date.now() });
    for (const waiter of [...this.waiters]) waiter();
    if (!token) return { ok: false, error: 'not_authed' };
    return this.answer(method, args);
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://orderops.slack.com/', team: 'orderops', user: 'orderops', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        if (!args.channel) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        return { ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, user: this.botUserId, bot_id: this.botId, ts, thread_ts: args.thread_ts, blocks: args.blocks } };
      }
      case 'chat.update':
        if (!args.channel || !args.ts) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        if (!args.channel || !args.user) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: this.nextTs() };
      case 'views.publish':
        return { ok: true, view: { id: `V${this.tsCounter}`, type: 'home', ...(typeof args.view === 'object' ? args.view : {}) } };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { name: user.id.toLowerCase(), is_bot: false, deleted: false, is_restricted: false, ...user } };
      }
      case 'usergroups.users.list': {
        const members = this.groups.get(String(args.usergroup));
        if (!members) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users: members };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, is_im: String(args.channel).startsWith('D') } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Form bodies carry nested values (blocks, views) as JSON strings, the way the Web API accepts them. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const form = parseQuery(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        args[key] = JSON.parse(v);
        continue;
      } catch {
        // plain text that happens to start with a bracket
      }
    }
    args[key] = v;
  }
  return args;
}
