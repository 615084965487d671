import { dashboardSummary } from '../../console/dashboard-summary.js';
import { renderDashboardPage } from '../dashboard-page.js';
import type { RoutePlugin } from '../route-plugin.js';

/**
 * `GET /api/dashboard` (JSON) and `GET /dashboard` (the same summary as a page). Both are behind
 * API_TOKEN when it is set. The page carries a CSP without scripts: it never needs any.
 */
export const dashboardRoutes: RoutePlugin = (app, { db }) => {
  app.get('/api/dashboard', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return dashboardSummary(db);
  });

  app.get('/dashboard', async (_request, reply) => {
    const html = renderDashboardPage(await dashboardSummary(db));
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(html);
  });
};
