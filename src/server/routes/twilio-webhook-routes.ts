import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/db.js';
import type { Actor } from '../../domain/actor.js';
import { handleInboundSms } from '../../notifications/consent/handle-inbound-sms.js';
import { recordSmsStatus } from '../../notifications/record-sms-status.js';
import type { ErrorBody } from '../error-handler.js';
import { parseRequestBody } from '../parse-request-body.js';
import type { RoutePlugin } from '../route-plugin.js';

export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
export const TWILIO_INBOUND_PATH = '/webhooks/twilio/inbound';

/** Checks Twilio's signature of a request: the public URL it called, its form parameters, the header. */
export type TwilioRequestVerifier = (url: string, params: [string, string][], signature: string | undefined) => boolean;

export interface TwilioWebhookRoutesOptions {
  db: Db;
  /** Null without TWILIO_AUTH_TOKEN: then every request is refused. */
  verify: TwilioRequestVerifier | null;
  /** The address Twilio calls us at (PUBLIC_URL): the signed URL is it plus the path and query as received. */
  publicUrl: () => string;
  /** The answer to HELP and INFO (prompts/sms-help.md, filled in). */
  helpText: string;
  actor: Actor;
  log?: (line: string) => void;
}

const statusBody = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});
const inboundBody = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().default(''),
  Body: z.string().default(''),
});

const FORBIDDEN: ErrorBody = { error: 'the request is not signed by Twilio (X-Twilio-Signature)', code: 'bad_signature' };
const NOT_CONFIGURED: ErrorBody = { error: 'Twilio webhooks are off: TWILIO_AUTH_TOKEN is not set', code: 'twilio_not_configured' };
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * Twilio's delivery reports and incoming texts. Both are form posts signed with X-Twilio-Signature
 * over the public URL and the parameters; the signature is checked before anything is read, and a
 * request without a valid one (or any request without TWILIO_AUTH_TOKEN) is a 403 that changes
 * nothing. The URL is rebuilt from PUBLIC_URL, never from the Host header, which the caller writes.
 */
export function twilioWebhookRoutes(options: TwilioWebhookRoutesOptions): RoutePlugin {
  const log = options.log ?? (() => {});
  return (app) => {
    // Encapsulated: this form parser applies to these routes only, and keeps the body as sent.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // Values are checked for NUL after the signature (which covers them as sent), then stripped.
    const routeOptions = { bodyLimit: 64 * 1024, config: { nulCharacters: 'strip' as const } };

    const verified = (request: FastifyRequest, reply: FastifyReply): [string, string][] | null => {
      if (!options.verify) {
        void reply.code(403).send(NOT_CONFIGURED);
        return null;
      }
      const params = [...new URLSearchParams(typeof request.body === 'string' ? request.body : '')];
      const signature = request.headers['x-twilio-signature'];
      const url = options.publicUrl().replace(/\/+$/, '') + request.raw.url;
      if (!options.verify(url, params, typeof signature === 'string' ? signature : undefined)) {
        log(`twilio webhook ${request.routeOptions.url} refused: bad or missing signature`);
        void reply.code(403).send(FORBIDDEN);
        return null;
      }
      return params;
    };

    app.post(TWILIO_STATUS_PATH, routeOptions, async (request, reply) => {
      const params = verified(request, reply);
      if (!params) return reply;
      const fields = Object.fromEntries(params.map(([k, v]) => [k, stripNul(v)]));
      const report = parseRequestBody(statusBody, fields);
      const result = await recordSmsStatus(options.db, {
        messageSid: report.MessageSid,
        status: report.MessageStatus,
        errorCode: report.ErrorCode || null,
        params: fields,
      });
      return reply.code(200).send({ status: result.outcome, ...(result.status ? { messageStatus: result.status } : {}) });
    });

    app.post(TWILIO_INBOUND_PATH, routeOptions, async (request, reply) => {
      const params = verified(request, reply);
      if (!params) return reply;
      const fields = parseRequestBody(inboundBody, Object.fromEntries(params.map(([k, v]) => [k, stripNul(v)])));
      const outcome = await handleInboundSms(
        options.db,
        { messageSid: fields.MessageSid, from: fields.From, to: fields.To, body: fields.Body },
        options.actor,
      );
      // STOP and START are confirmed by Twilio itself; a second confirmation from us would be noise.
      const twiml = outcome.action === 'help'
        ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(options.helpText)}</Message></Response>`
        : EMPTY_TWIML;
      return reply.code(200).type('text/xml; charset=utf-8').send(twiml);
    });
  };
}

function stripNul(value: string): string {
  return value.replaceAll('\u0000', '');
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
