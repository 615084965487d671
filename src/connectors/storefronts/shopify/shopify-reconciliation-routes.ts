import { listReconciliationRuns } from '../../../domain/sales-channels/list-reconciliation-runs.js';
import type { RoutePlugin } from '../../../server/route-plugin.js';
import { SHOPIFY_CHANNEL } from './map-shopify-order.js';

/**
 * `GET /api/channels/shopify/reconciliation`: the latest reconciliation runs and what they caught
 * (orders the webhooks missed), the missed-order metric. Needs the API token like every /api route.
 */
export function shopifyReconciliationRoutes(options: { enabled: boolean; everyMinutes: number }): RoutePlugin {
  return (app, deps) => {
    app.get('/api/channels/shopify/reconciliation', async (request) => {
      const limit = Number((request.query as { limit?: string }).limit ?? 20);
      const runs = await listReconciliationRuns(deps.db, { channel: SHOPIFY_CHANNEL, limit: Number.isFinite(limit) ? limit : 20 });
      const finished = runs.filter((r) => r.finishedAt && !r.error);
      return {
        channel: SHOPIFY_CHANNEL,
        enabled: options.enabled,
        everyMinutes: options.everyMinutes,
        lastRun: runs[0] ?? null,
        caughtInListedRuns: finished.reduce((n, r) => n + r.caught, 0),
        runs,
      };
    });
  };
}
