import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../server/route-plugin.js';
import { EmailTooLargeError } from './email-too-large-error.js';
import type { InboundEmail } from './inbound-email.js';
import { postmarkInboundSchema, postmarkToInboundEmail } from './postmark-inbound.js';
import { secretsMatch } from '../../security/secrets-match.js';
import { UnparseableEmailError } from './unparseable-email-error.js';
import { unparseableFromRaw, type UnparseableEmail } from './unparseable-email.js';

export const INBOUND_WEBHOOK_PATH = '/webhooks/email/inbound';
export const INBOUND_SECRET_HEADER = 'x-email-inbound-secret';

export interface InboundWebhookOptions {
  /** EMAIL_INBOUND_SECRET; without it the route answers 503 and accepts nothing. */
  secret: string | undefined;
  maxBytes: number;
  accept: (mail: InboundEmail) => Promise<void>;
  /** Keeps a mail that can never be read for a person; the provider then gets 200, as a retry cannot help. */
  unparseable: (mail: UnparseableEmail) => Promise<void>;
}

/**
 * The secret as the provider presents it: HTTP Basic credentials in the webhook URL (how
 * Postmark is set up: https://inbound:SECRET@host/webhooks/email/inbound), or our own header.
 */
function presentedSecret(request: FastifyRequest): string | undefined {
  const header = request.headers[INBOUND_SECRET_HEADER];
  if (typeof header === 'string') return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || decoded.slice(0, colon) : decoded;
  }
  return undefined;
}

/** `POST /webhooks/email/inbound`: a provider's inbound mail in Postmark's JSON shape. */
export function inboundWebhookRoute(options: InboundWebhookOptions): RoutePlugin {
  // Attachments arrive base64-encoded inside the JSON: a third larger than the mail itself.
  const bodyLimit = Math.ceil(options.maxBytes * 1.4) + 64 * 1024;
  return (app) => {
    app.post(
      INBOUND_WEBHOOK_PATH,
      {
        bodyLimit,
        // Mail is kept whatever bytes it holds: parsing strips NUL characters instead of refusing them.
        config: { nulCharacters: 'strip' },
        // Before the body is read or parsed: nobody without the secret costs us a JSON parse.
        onRequest: async (request, reply) => {
          if (!options.secret) {
            return reply.code(503).send({ error: 'inbound email webhook is off: EMAIL_INBOUND_SECRET is not set', code: 'webhook_disabled' });
          }
          if (!secretsMatch(presentedSecret(request), options.secret)) {
            return reply
              .code(401)
              .header('www-authenticate', 'Basic realm="orderops inbound email"')
              .send({ error: 'missing or wrong inbound email secret', code: 'bad_secret' });
          }
        },
      },
      async (request, reply) => {
      const parsed = postmarkInboundSchema.safeParse(request.body);
      if (!parsed.success) {
        return reply.code(400).send({
          error: 'the body is not a Postmark inbound message',
          code: 'invalid_inbound_email',
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
        });
      }
      if (!parsed.data.FromFull?.Email && !parsed.data.From) {
        return reply.code(400).send({
          error: 'the message has no sender',
          code: 'invalid_inbound_email',
          issues: [{ path: 'From', message: 'From or FromFull.Email is required' }],
        });
      }
      let mail: InboundEmail;
      try {
        mail = await postmarkToInboundEmail(parsed.data, { maxBytes: options.maxBytes });
      } catch (err) {
        if (err instanceof EmailTooLargeError) return reply.code(413).send({ error: err.message, code: 'email_too_large' });
        if (!(err instanceof UnparseableEmailError)) throw err;
        const kept = unparseableFromRaw(Buffer.from(JSON.stringify(request.body)), {
          source: 'webhook',
          reason: err.message,
          envelopeFrom: (parsed.data.FromFull?.Email ?? parsed.data.From ?? '').toLowerCase(),
          envelopeTo: (parsed.data.ToFull ?? []).map((a) => a.Email),
          subject: parsed.data.Subject,
        });
        await options.unparseable(kept);
        return reply.code(200).send({ status: 'kept', code: 'unparseable', error: err.message, messageId: kept.messageId });
      }
      await options.accept(mail);
      return reply.code(200).send({ status: 'accepted', messageId: mail.messageId });
      },
    );
  };
}
