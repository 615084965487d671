import { openCarriers } from '../config/open-carriers.js';
import type { Carrier } from '../domain/shipping/carrier.js';
import { registerRoutes } from './route-plugin.js';
import { carrierWebhookRoutes, CARRIER_WEBHOOK_ACCOUNTS, type TrackingUpdatesHandler } from './routes/carrier-webhook-routes.js';
import type { AppContext, AppExtension } from './start-app.js';

export interface CarrierWebhookExtensionOptions {
  /**
   * Where verified tracking updates go (the shipment lifecycle service). Without it the doors
   * verify and then answer 503, so carriers keep their events and deliver them again later.
   */
  onUpdates?: (ctx: AppContext) => TrackingUpdatesHandler;
  /** The enabled carriers; defaults to the composition root's (CARRIERS). Pass the process's shared ones. */
  carriers?: (ctx: AppContext) => readonly Carrier[];
}

const notRecorded: TrackingUpdatesHandler = async () => {
  throw new Error('no shipment service records tracking updates in this build');
};

/** The carriers' tracking webhook doors as a part of `npm start`. */
export function carrierWebhookExtension(options: CarrierWebhookExtensionOptions): AppExtension {
  return async (ctx) => {
    const carriers = options.carriers?.(ctx) ?? openCarriers(ctx.config);
    registerRoutes(ctx.app, carrierWebhookRoutes({ carriers, onUpdates: options.onUpdates?.(ctx) ?? notRecorded, log: ctx.log }));
    const secrets: Record<string, string | undefined> = {
      easypost: ctx.config.EASYPOST_WEBHOOK_SECRET,
      shippo: ctx.config.SHIPPO_WEBHOOK_SECRET,
      sandbox: ctx.config.SANDBOX_CARRIER_WEBHOOK_SECRET,
    };
    const doors = CARRIER_WEBHOOK_ACCOUNTS.filter((a) => carriers.some((c) => c.account === a)).map(
      (a) => `POST /webhooks/carriers/${a} ${secrets[a] ? 'on' : 'refusing all (no webhook secret)'}`,
    );
    ctx.log(`carriers: ${carriers.map((c) => c.account).join(', ')}; ${doors.join('; ') || 'no webhook doors'}`);
  };
}
