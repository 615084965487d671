import { registerRoutes } from '../server/route-plugin.js';
import type { AppExtension } from '../server/start-app.js';
import { createApprovalEventHub } from './approval-event-hub.js';
import { approvalEventRoutes } from './approval-event-routes.js';
import { consoleAssetRoutes } from './console-asset-routes.js';
import { CONSOLE_DIST } from './console-dist-dir.js';

export interface ConsoleExtensionOptions {
  /** Where the built console is (default dist/console). */
  distDir?: string;
}

/**
 * The operator console as a part of `npm start`: the built front end at /console/ and the live
 * approval stream at /api/events, fed by the approval notifiers (a decision made in Slack, by
 * email, over the API or in the console reaches every open page).
 */
export const consoleExtension = (options: ConsoleExtensionOptions = {}): AppExtension => async (ctx) => {
  if (!ctx.servesApi) return;
  const hub = createApprovalEventHub();
  ctx.addApprovalNotifier(hub.notifier);
  registerRoutes(ctx.app, consoleAssetRoutes(options.distDir ?? CONSOLE_DIST));
  registerRoutes(ctx.app, approvalEventRoutes(hub));
  ctx.log(`console: ${ctx.publicUrl()}/console/ (live updates at GET /api/events)`);
};
