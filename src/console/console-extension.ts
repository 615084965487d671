import { registerRoutes } from '../server/route-plugin.js';
import type { AppExtension } from '../server/start-app.js';
import { createApprovalEventHub } from './approval-event-hub.js';
import { approvalEventPublisher } from './approval-event-publisher.js';
import { approvalEventRoutes } from './approval-event-routes.js';
import { subscribeToApprovalEvents } from './approval-event-subscription.js';
import { consoleAssetRoutes } from './console-asset-routes.js';
import { CONSOLE_DIST } from './console-dist-dir.js';

export interface ConsoleExtensionOptions {
  /** Where the built console is (default dist/console). */
  distDir?: string;
}

/**
 * The operator console as a part of `npm start`: the built front end at /console/ and the live
 * approval stream at /api/events. Every process announces its approval changes through the
 * database (a worker's expiry sweep or email confirmation, another API's Slack button), and every
 * API process listens and feeds its own streams, so each open page hears each change once.
 */
export const consoleExtension = (options: ConsoleExtensionOptions = {}): AppExtension => async (ctx) => {
  ctx.addApprovalNotifier(approvalEventPublisher(ctx.db));
  if (!ctx.servesApi) return;
  const hub = createApprovalEventHub();
  const unlisten = await subscribeToApprovalEvents(ctx.db, hub, ctx.log);
  registerRoutes(ctx.app, consoleAssetRoutes(options.distDir ?? CONSOLE_DIST));
  registerRoutes(ctx.app, approvalEventRoutes(hub));
  ctx.log(`console: ${ctx.publicUrl()}/console/ (live updates at GET /api/events)`);
  return unlisten;
};
