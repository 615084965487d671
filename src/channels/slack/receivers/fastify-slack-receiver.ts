import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { parse as parseQuery } from 'node:querystring';
import { renderPrompt } from '../../../agent/prompt-library.js';
import type { RoutePlugin } from '../../../server/route-plugin.js';
import type { SlackEventHold } from '../slack-held-events.js';
import { slackSignatureRefusal } from '../verify-slack-signature.js';

/** The request URLs to give Slack: events, interactivity and the slash command (any of them accepts any kind). */
export const SLACK_HTTP_PATHS = ['/slack/events', '/slack/interactivity', '/slack/commands'] as const;

export interface SlackHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface SlackHttpResponse {
  status: number;
  body: string;
  contentType: string;
}

export interface FastifySlackReceiverOptions {
  signingSecret: string;
  log?: (msg: string) => void;
  /** Slack gives up after 3 s; answer before that even when no listener acknowledged. */
  ackTimeoutMs?: number;
  nowMs?: () => number;
  /** Where Events API deliveries wait while the app is not started; without it they get 503. */
  hold?: SlackEventHold;
}

const header = (h: SlackHttpRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const json = (status: number, body: unknown): SlackHttpResponse => ({
  status,
  body: JSON.stringify(body),
  contentType: 'application/json; charset=utf-8',
});

/**
 * A Bolt receiver that lives on the API's Fastify server. It checks Slack's v0 signature on the
 * raw body before anything else (a missing, wrong or stale signature is a 401 and no work),
 * answers url_verification and ssl_check itself, and hands every other request to
 * `app.processEvent`, replying as soon as a listener calls `ack()`.
 *
 * The routes exist from start-up, but requests are processed only once the app has started
 * (it has reached Slack's Web API). Before that, an Events API delivery is kept in the hold and
 * acknowledged, then replayed on start: Slack retries a failed delivery only three times within
 * about five minutes and turns off an app's events when most deliveries fail, so answering 503
 * could lose a mention in a longer outage. A slash command gets a "try again" answer, and a
 * button press 503 (Slack shows the person it failed; replaying a press minutes later would
 * surprise them).
 */
export class FastifySlackReceiver implements Receiver {
  private app: App | undefined;
  private started = false;
  private readonly inflight = new Set<Promise<void>>();
  private lastRequestAt = 0;
  private readonly log: (msg: string) => void;

  constructor(private readonly options: FastifySlackReceiverOptions) {
    this.log = options.log ?? (() => {});
  }

  init(app: App): void {
    this.app = app;
  }

  /** Called by `app.start()`: from now on requests are processed, and the held events are replayed. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const hold = this.options.hold;
    const app = this.app;
    if (!hold || !app) return;
    this.track(
      hold
        .replay(
          (body) => app.processEvent({ body, ack: async () => {} }),
          (eventId, err) => this.log(`held Slack event ${eventId} failed on replay: ${(err as Error).stack ?? String(err)}`),
        )
        .then((n) => {
          if (n > 0) this.log(`Slack: replayed ${n} event(s) received while connecting.`);
        }),
    );
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((err: unknown) => this.log(`Slack: ${(err as Error).stack ?? String(err)}`));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
    return tracked;
  }

  /** Waits for listeners still running after their ack, so a shutdown does not cut them off. */
  async stop(): Promise<void> {
    await this.settled();
  }

  /** Resolves once every request received so far has been fully processed (listeners included). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Resolves once no Slack request has arrived for `quietMs` (or after `maxWaitMs`). Background
   * work calls it before taking the event loop, so a burst of events is acknowledged first.
   */
  async lull(quietMs = 25, maxWaitMs = 1_000): Promise<void> {
    const started = Date.now();
    while (Date.now() - this.lastRequestAt < quietMs && Date.now() - started < maxWaitMs) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  async handle(req: SlackHttpRequest): Promise<SlackHttpResponse> {
    this.lastRequestAt = Date.now();
    const refusal = slackSignatureRefusal({
      signingSecret: this.options.signingSecret,
      rawBody: req.rawBody,
      timestamp: header(req.headers, 'x-slack-request-timestamp'),
      signature: header(req.headers, 'x-slack-signature'),
      nowMs: this.options.nowMs?.(),
    });
    if (refusal) {
      this.log(`refused a Slack request: ${refusal}`);
      return json(401, { error: 'invalid_signature', reason: refusal });
    }

    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(req.rawBody, header(req.headers, 'content-type'));
    } catch {
      return json(400, { error: 'invalid_body', reason: 'body is neither JSON nor a form with a JSON payload' });
    }
    if (body.ssl_check === '1') return json(200, {});
    if (body.type === 'url_verification') return json(200, { challenge: body.challenge });
    if (!this.app || !this.started) return this.notStarted(body);

    const retry = header(req.headers, 'x-slack-retry-num');
    return new Promise<SlackHttpResponse>((resolve) => {
      let answered = false;
      const answer = (res: SlackHttpResponse) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(res);
      };
      const timer = setTimeout(() => {
        this.log('no listener acknowledged a Slack request in time');
        answer(json(500, { error: 'no_ack' }));
      }, this.options.ackTimeoutMs ?? 2_800);
      const event: ReceiverEvent = {
        body,
        retryNum: retry === undefined ? undefined : Number.parseInt(retry, 10),
        retryReason: header(req.headers, 'x-slack-retry-reason'),
        ack: async (response?: unknown) => {
          if (response === undefined || response === '') answer({ status: 200, body: '', contentType: 'text/plain' });
          else if (typeof response === 'string') answer({ status: 200, body: response, contentType: 'text/plain; charset=utf-8' });
          else answer(json(200, response));
        },
      };
      const processing = this.app!.processEvent(event).catch((err: unknown) => {
        this.log(`Slack listener failed: ${(err as Error).stack ?? String(err)}`);
        answer(json(500, { error: 'listener_failed' }));
      });
      this.inflight.add(processing);
      void processing.finally(() => this.inflight.delete(processing));
    });
  }

  private async notStarted(body: Record<string, unknown>): Promise<SlackHttpResponse> {
    const hold = this.options.hold;
    if (body.type === 'event_callback' && typeof body.event_id === 'string' && hold) {
      try {
        await hold.keep(body.event_id, body);
        return { status: 200, body: '', contentType: 'text/plain' };
      } catch (err) {
        this.log(`could not keep a Slack event for later: ${(err as Error).message}`);
      }
    }
    if (typeof body.command === 'string') return json(200, { response_type: 'ephemeral', text: renderPrompt('slack-connecting') });
    return json(503, { error: 'slack_not_ready' });
  }

  /**
   * Fastify routes for the Slack request URLs. Registered as an encapsulated plugin, so its
   * raw-body parser does not change how the rest of the API parses JSON.
   */
  readonly routes: RoutePlugin = async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    for (const path of SLACK_HTTP_PATHS) {
      instance.post(path, async (request, reply) => {
        const res = await this.handle({
          headers: request.headers,
          rawBody: typeof request.body === 'string' ? request.body : '',
        });
        return reply.code(res.status).header('content-type', res.contentType).send(res.body);
      });
    }
  };
}

/** Events arrive as JSON; interactivity as a form with a JSON `payload`; slash commands as a plain form. */
export function parseSlackBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = parseQuery(raw);
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  }
  return JSON.parse(raw) as Record<string, unknown>;
}
