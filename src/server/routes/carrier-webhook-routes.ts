import type { Carrier, TrackingUpdate } from '../../domain/shipping/carrier.js';
import type { RoutePlugin } from '../route-plugin.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../db/database-unavailable.js';

/** The carrier accounts with a tracking webhook door, each at `POST /webhooks/carriers/<account>`. */
export const CARRIER_WEBHOOK_ACCOUNTS = ['easypost', 'shippo', 'sandbox'] as const;
export const carrierWebhookPath = (account: string) => `/webhooks/carriers/${account}`;

/** Records verified tracking updates (the shipment lifecycle); throwing makes the door answer 503 so the carrier retries. */
export type TrackingUpdatesHandler = (account: string, updates: TrackingUpdate[]) => Promise<unknown>;

export interface CarrierWebhookRoutesOptions {
  /** The enabled carriers; a door whose carrier is not enabled answers 404. */
  carriers: readonly Carrier[];
  onUpdates: TrackingUpdatesHandler;
  log?: (line: string) => void;
  /** Largest webhook body accepted, in bytes. */
  bodyLimit?: number;
}

/**
 * The carriers' tracking webhooks. The body is kept as the raw bytes, because every carrier signs
 * those, and the adapter verifies the signature (and its age where the carrier signs one) before
 * anything else runs: a forged, unsigned or stale request is a 401 and changes nothing. An
 * accepted webhook is answered 200 only once its updates are recorded; if recording fails the
 * answer is 503, so the carrier delivers it again instead of it being lost.
 */
export function carrierWebhookRoutes(options: CarrierWebhookRoutesOptions): RoutePlugin {
  const log = options.log ?? (() => {});
  return (app) => {
    // Encapsulated: this raw-body parser applies to these routes only.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    for (const account of CARRIER_WEBHOOK_ACCOUNTS) {
      app.post(carrierWebhookPath(account), { bodyLimit: options.bodyLimit ?? 1024 * 1024 }, async (request, reply) => {
        const carrier = options.carriers.find((c) => c.account === account);
        if (!carrier) {
          return reply.code(404).send({ error: `the ${account} carrier is not enabled (CARRIERS)`, code: 'carrier_disabled' });
        }
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await carrier.parseWebhook({
          headers: request.headers,
          rawBody,
          query: request.query as Record<string, string | undefined>,
        });
        if (!result.ok) {
          log(`carrier webhook ${account} refused: ${result.reason}`);
          return reply.code(401).send({ error: 'the webhook is not signed by the carrier, or the signature is stale', code: 'bad_signature' });
        }
        if (result.updates.length === 0) return reply.code(200).send({ status: 'ignored', updates: 0 });
        try {
          await options.onUpdates(account, result.updates);
        } catch (err) {
          log(`carrier webhook ${account}: recording ${result.updates.length} update(s) failed: ${(err as Error).message}`);
          // Carriers redeliver on a 5xx; Retry-After tells those that read it when.
          return reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).send({ error: 'the tracking updates could not be recorded; deliver again later', code: 'updates_not_recorded' });
        }
        return reply.code(200).send({ status: 'accepted', updates: result.updates.length });
      });
    }
  };
}
