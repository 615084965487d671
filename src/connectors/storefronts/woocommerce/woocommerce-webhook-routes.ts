import { createHash } from 'node:crypto';
import type { Db } from '../../../db/db.js';
import { recordWebhookDelivery } from '../../../domain/sales-channels/record-webhook-delivery.js';
import type { JobQueue } from '../../../jobs/job-queue.js';
import { QUEUES } from '../../../jobs/queue-names.js';
import { parseRequestBody, RequestBodyInvalid } from '../../../server/parse-request-body.js';
import type { RoutePlugin } from '../../../server/route-plugin.js';
import { WOOCOMMERCE_CHANNEL } from './map-woocommerce-order.js';
import { wooOrderPayloadSchema, wooProductPayloadSchema } from './woocommerce-order-payload.js';
import { verifyWooCommerceSignature } from './woocommerce-webhook-signature.js';

export const WOOCOMMERCE_WEBHOOK_PATH = '/webhooks/woocommerce';

/** The job a stored delivery becomes. */
export interface WooCommerceDeliveryJob {
  deliveryId: string;
}

export interface WooCommerceWebhookRoutesOptions {
  db: Db;
  queue: JobQueue;
  /** WOOCOMMERCE_WEBHOOK_SECRET; without it every signed delivery is refused. */
  secret: string | undefined;
  log?: (line: string) => void;
  bodyLimit?: number;
}

/** The topics whose payloads orderops takes in; other topics are answered and left alone. */
export const WOOCOMMERCE_TOPICS = [
  'order.created',
  'order.updated',
  'order.deleted',
  'order.restored',
  'product.created',
  'product.updated',
] as const;

// What WC_Webhook::deliver_ping sends when a webhook is saved: a bare form body, no X-WC-* header.
const isSavePing = (headers: Record<string, unknown>, raw: Buffer) =>
  headers['x-wc-webhook-signature'] === undefined &&
  headers['x-wc-webhook-topic'] === undefined &&
  /^webhook_id=\d+$/.test(raw.toString('utf8').trim());

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/**
 * `POST /webhooks/woocommerce`. The body is kept as the bytes WooCommerce signed; the signature
 * is checked before anything is read, so a forged or unsigned delivery is a 401 and stores
 * nothing. A verified delivery is parsed (a bad field is a 400 naming it), stored under its
 * X-WC-Webhook-Delivery-ID and body hash (a redelivery changes nothing) and handed to a job; the
 * answer does not wait for the work.
 */
export function wooCommerceWebhookRoutes(options: WooCommerceWebhookRoutesOptions): RoutePlugin {
  const log = options.log ?? (() => {});
  return (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post(WOOCOMMERCE_WEBHOOK_PATH, { bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024 }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (isSavePing(request.headers, raw)) return reply.code(200).send({ status: 'ignored', reason: 'webhook saved (ping)' });
      const signature = header(request.headers['x-wc-webhook-signature']);
      if (!options.secret || !verifyWooCommerceSignature(raw, signature, options.secret)) {
        log(`woocommerce webhook refused: ${signature ? 'bad signature' : 'unsigned'}${options.secret ? '' : ' (WOOCOMMERCE_WEBHOOK_SECRET is not set)'}`);
        return reply.code(401).send({ error: 'the delivery is not signed with the webhook secret', code: 'bad_signature' });
      }
      const topic = header(request.headers['x-wc-webhook-topic']);
      const deliveryId = header(request.headers['x-wc-webhook-delivery-id']);
      const missing = [
        ...(topic ? [] : [{ path: 'X-WC-Webhook-Topic', message: 'is required' }]),
        ...(deliveryId ? [] : [{ path: 'X-WC-Webhook-Delivery-ID', message: 'is required' }]),
      ];
      if (missing.length > 0) throw new RequestBodyInvalid(missing);
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new RequestBodyInvalid([{ path: '(body)', message: `is not valid JSON (${(err as Error).message})` }]);
      }
      if (!(WOOCOMMERCE_TOPICS as readonly string[]).includes(topic!)) {
        return reply.code(200).send({ status: 'ignored', reason: `topic ${topic} is not taken in` });
      }
      if (topic === 'order.deleted') parseRequestBody(wooOrderPayloadSchema.pick({ id: true }), payload);
      else if (topic!.startsWith('order.')) parseRequestBody(wooOrderPayloadSchema, payload);
      else parseRequestBody(wooProductPayloadSchema, payload);

      // WooCommerce's delivery id is wp_hash(webhook id . the current second) (WC_Webhook::
      // get_new_delivery_id): two different events of one webhook in the same second share it. The
      // body's hash joins it, so a resent delivery is recognised and two events are never merged.
      const key = `${deliveryId}:${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
      const { duplicate } = await recordWebhookDelivery(options.db, { channel: WOOCOMMERCE_CHANNEL, deliveryId: key, topic: topic!, payload });
      // A redelivery is enqueued again under the same job id: if the first enqueue was lost, this one runs it.
      await options.queue.enqueue<WooCommerceDeliveryJob>(QUEUES.woocommerceDelivery, { deliveryId: key }, { jobId: wooCommerceDeliveryJobId(key), attempts: 5 });
      return reply.code(200).send({ status: duplicate ? 'duplicate' : 'accepted' });
    });
  };
}

/**
 * The job id of a stored delivery. BullMQ refuses ids holding ':' and the delivery key holds one
 * (and an unsigned header besides), so the id is a hash of the key.
 */
export function wooCommerceDeliveryJobId(deliveryKey: string, suffix = ''): string {
  return `woocommerce-delivery-${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 40)}${suffix}`;
}
