import type { Db } from '../../../db/db.js';
import { recordWebhookDelivery } from '../../../domain/sales-channels/record-webhook-delivery.js';
import type { RoutePlugin } from '../../../server/route-plugin.js';
import { SHOPIFY_CHANNEL } from './map-shopify-order.js';
import { isShopifyTopic, parseShopifyPayload } from './parse-shopify-payload.js';
import { verifyShopifyHmac } from './verify-shopify-hmac.js';

export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify';

export interface ShopifyWebhookRoutesOptions {
  db: Db;
  /** The app's client secret; unset, every delivery is refused (401). */
  secret: string | undefined;
  /** Queues the work on a stored delivery; the door answers once this accepted it. */
  enqueue: (deliveryId: string) => Promise<unknown>;
  log?: (line: string) => void;
  bodyLimit?: number;
}

const header = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * Shopify's webhook door. The body is kept as raw bytes because Shopify signs those; a forged or
 * unsigned delivery is a 401 and nothing is stored. A verified one with a topic we act on is
 * checked (400 naming the field), stored by its X-Shopify-Webhook-Id (a redelivery is recognised),
 * queued, and answered 200 at once: Shopify wants an answer within seconds, the work is a job.
 */
export function shopifyWebhookRoutes(options: ShopifyWebhookRoutesOptions): RoutePlugin {
  const log = options.log ?? (() => {});
  return (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post(SHOPIFY_WEBHOOK_PATH, { bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024 }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!options.secret || !verifyShopifyHmac(raw, request.headers['x-shopify-hmac-sha256'], options.secret)) {
        log(`shopify webhook refused: ${options.secret ? 'bad or missing X-Shopify-Hmac-Sha256' : 'SHOPIFY_WEBHOOK_SECRET is not set'}`);
        return reply.code(401).send({ error: 'the webhook is not signed with the shop\'s webhook secret', code: 'bad_signature' });
      }
      const topic = header(request.headers['x-shopify-topic']);
      const deliveryId = header(request.headers['x-shopify-webhook-id']);
      if (!topic || !deliveryId) {
        const missing = !topic ? 'X-Shopify-Topic' : 'X-Shopify-Webhook-Id';
        return reply.code(400).send({ error: `${missing} header is required`, code: 'missing_header', issues: [{ path: missing, message: 'is required' }] });
      }
      if (!isShopifyTopic(topic)) return reply.code(200).send({ status: 'ignored', topic });
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        return reply.code(400).send({ error: 'the webhook body is not valid JSON', code: 'invalid_json', issues: [{ path: '(body)', message: (err as Error).message }] });
      }
      const parsed = parseShopifyPayload(topic, body);
      if (!parsed.ok) {
        return reply.code(400).send({
          error: `the ${topic} payload is malformed: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          code: 'invalid_payload',
          issues: parsed.issues,
        });
      }
      const { duplicate } = await recordWebhookDelivery(options.db, { channel: SHOPIFY_CHANNEL, deliveryId, topic, payload: body });
      // Queued again on a redelivery too: if the first enqueue was lost the stored delivery still gets
      // worked on, and the job id keeps a queued one from running twice.
      await options.enqueue(deliveryId);
      return reply.code(200).send({ status: duplicate ? 'duplicate' : 'accepted', topic });
    });
  };
}
