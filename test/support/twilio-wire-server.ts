import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeTwilioSignature } from '../../src/connectors/sms/twilio/twilio-signature.js';

/** A message Twilio accepted, as its Messages API holds it. */
export interface TwilioWireMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: string;
  idempotencyToken: string | null;
  /** performance.now() when it was created (the benchmark's hand-off time). */
  receivedAt: number;
}

/** What to do to the next create request(s) instead of answering normally. */
export type TwilioWireFailure =
  /** Too many requests (Twilio's 20429). */
  | { kind: '429' }
  /** Twilio's own failure (20500). */
  | { kind: '500' }
  /** The recipient replied STOP to this sender (21610). */
  | { kind: '21610' }
  /** The message is created, but the answer comes only after `ms` (the client may time out first). */
  | { kind: 'slow'; ms: number };

export interface SentWebhook {
  status: number;
  contentType: string;
  text: string;
}

const API = '/2010-04-01';
const ERRORS = {
  20003: [401, 'Authenticate'],
  20429: [429, 'Too Many Requests'],
  20500: [500, 'Internal Server Error'],
  21211: [400, "The 'To' number is not a valid phone number."],
  21602: [400, 'Message body is required.'],
  21603: [400, "A 'From' phone number is required."],
  21604: [400, "A 'To' phone number is required."],
  21610: [400, 'Attempt to send to unsubscribed recipient'],
} as const;

/**
 * Twilio's Messages API on 127.0.0.1 as Twilio documents it: HTTP Basic with the Account SID and
 * auth token, form-encoded Messages create answering 201 with the message resource, errors as
 * `{ code, message, more_info, status }`, and I-Twilio-Idempotency-Token honoured (the same token
 * is the same message, never a second one). A number that texted STOP is refused with 21610 until
 * it texts START, as Twilio's opt-out handling does. It also plays Twilio's side of the webhooks:
 * status callbacks and incoming texts, signed with X-Twilio-Signature.
 */
export class TwilioWireServer {
  /** Every message created, once each. */
  readonly messages: TwilioWireMessage[] = [];
  /** How many create requests arrived (retries included). */
  createRequests = 0;
  private readonly byToken = new Map<string, TwilioWireMessage>();
  private readonly optedOut = new Set<string>();
  private readonly failures: { failure: TwilioWireFailure; times: number }[] = [];
  private server: Server | undefined;

  constructor(readonly accountSid = `AC${randomBytes(16).toString('hex')}`, readonly authToken = randomBytes(16).toString('hex')) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` create requests meet `failure`. */
  fail(failure: TwilioWireFailure, times = 1): void {
    this.failures.push({ failure, times });
  }

  /** Twilio's signature of a request to `url` with these parameters. */
  sign(url: string, params: Record<string, string>): string {
    return computeTwilioSignature(this.authToken, url, params);
  }

  /**
   * Reports a message's new status to its StatusCallback, or to `signedUrl`, as Twilio does.
   * `deliverTo` is where the request really goes when that is not the signed URL (a proxy in front).
   */
  async sendStatusCallback(
    sid: string,
    status: string,
    options: { errorCode?: string; signedUrl?: string; deliverTo?: string; signature?: string | null; tamper?: (p: Record<string, string>) => void } = {},
  ): Promise<SentWebhook> {
    const message = this.messages.find((m) => m.sid === sid);
    const signedUrl = options.signedUrl ?? message?.statusCallback;
    if (!signedUrl) throw new Error(`message ${sid} has no StatusCallback; pass signedUrl`);
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      From: message?.from ?? '+15005550006',
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: message?.to ?? '+15005550001',
    };
    if (message?.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    if (options.errorCode) params.ErrorCode = options.errorCode;
    if (message) message.status = status;
    return this.post(signedUrl, params, options);
  }

  /** A text from `from` to our number, as Twilio posts it to the number's messaging webhook. */
  async sendInbound(
    signedUrl: string,
    sms: { from: string; body: string; to?: string; messageSid?: string },
    options: { deliverTo?: string; signature?: string | null; tamper?: (p: Record<string, string>) => void } = {},
  ): Promise<SentWebhook & { messageSid: string }> {
    const messageSid = sms.messageSid ?? `SM${randomBytes(16).toString('hex')}`;
    const word = sms.body.trim().toUpperCase();
    const params: Record<string, string> = {
      ToCountry: 'US',
      ToState: 'CA',
      SmsMessageSid: messageSid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: messageSid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: sms.body,
      FromCountry: 'US',
      To: sms.to ?? '+15005550006',
      ToZip: '',
      NumSegments: '1',
      MessageSid: messageSid,
      AccountSid: this.accountSid,
      From: sms.from,
      ApiVersion: '2010-04-01',
    };
    // Twilio's own opt-out handling acts on the keyword before forwarding the message.
    if (['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'].includes(word)) {
      this.optedOut.add(sms.from);
      params.OptOutType = 'STOP';
    } else if (['START', 'UNSTOP', 'YES'].includes(word)) {
      this.optedOut.delete(sms.from);
      params.OptOutType = 'START';
    } else if (['HELP', 'INFO'].includes(word)) {
      params.OptOutType = 'HELP';
    }
    return { ...(await this.post(signedUrl, params, options)), messageSid };
  }

  private async post(
    signedUrl: string,
    params: Record<string, string>,
    options: { deliverTo?: string; signature?: string | null; tamper?: (p: Record<string, string>) => void },
  ): Promise<SentWebhook> {
    const signature = options.signature === undefined ? this.sign(signedUrl, params) : options.signature;
    options.tamper?.(params);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomBytes(8).toString('hex'),
    };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    const res = await fetch(options.deliverTo ?? signedUrl, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const create = `${API}/Accounts/${this.accountSid}/Messages.json`;
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`) {
      return error(res, 20003);
    }
    if (req.method !== 'POST' || url.pathname !== create) {
      return send(res, 404, { code: 20404, message: `The requested resource ${url.pathname} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
    }
    this.createRequests += 1;
    const token = typeof req.headers['i-twilio-idempotency-token'] === 'string' ? req.headers['i-twilio-idempotency-token'] : null;
    const earlier = token ? this.byToken.get(token) : undefined;
    if (earlier) return send(res, 201, this.resource(earlier));

    const pending = this.failures[0];
    const failure = pending?.failure;
    if (pending && --pending.times <= 0) this.failures.shift();
    if (failure?.kind === '429') return error(res, 20429);
    if (failure?.kind === '500') return error(res, 20500);
    if (failure?.kind === '21610') return error(res, 21610);

    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body');
    if (!to) return error(res, 21604);
    if (!from && !service) return error(res, 21603);
    if (!body) return error(res, 21602);
    if (!/^\+[1-9]\d{7,14}$/.test(to)) return error(res, 21211);
    if (this.optedOut.has(to)) return error(res, 21610);

    const message: TwilioWireMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      from: from ?? null,
      messagingServiceSid: service ?? null,
      body,
      statusCallback: form.get('StatusCallback'),
      // A Messaging Service first accepts the message, then picks a sender and queues it.
      status: service ? 'accepted' : 'queued',
      idempotencyToken: token,
      receivedAt: performance.now(),
    };
    this.messages.push(message);
    if (token) this.byToken.set(token, message);
    if (failure?.kind === 'slow') await new Promise((r) => setTimeout(r, failure.ms));
    if (!res.destroyed) send(res, 201, this.resource(message));
  }

  private resource(m: TwilioWireMessage) {
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `${API}/Accounts/${this.accountSid}/Messages/${m.sid}`;
    return {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `${uri}/Media.json` },
      to: m.to,
      uri: `${uri}.json`,
    };
  }
}

function error(res: ServerResponse, code: keyof typeof ERRORS): void {
  const [status, message] = ERRORS[code];
  send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
