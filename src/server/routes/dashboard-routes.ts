import { createApprovalService } from '../../agent/approval-service.js';
import { dashboardSummary } from '../../domain/dashboard/dashboard-summary.js';
import { countOpenFailedJobs } from '../../jobs/list-failed-jobs.js';
import { renderDashboardPage } from '../dashboard-page.js';
import type { RoutePlugin } from '../route-plugin.js';

/**
 * `GET /api/dashboard` (JSON) and `GET /dashboard` (the same summary as a page). Both are behind
 * API_TOKEN when it is set. The page carries a CSP without scripts: it never needs any.
 */
export const dashboardRoutes: RoutePlugin = (app, { db, config }) => {
  const approvals = createApprovalService({ db, config });
  const countFailedJobs = () => countOpenFailedJobs(db);

  app.get('/api/dashboard', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return dashboardSummary(db, { approvals, countFailedJobs });
  });

  app.get('/dashboard', async (_request, reply) => {
    const html = renderDashboardPage(await dashboardSummary(db, { approvals, countFailedJobs }));
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(html);
  });
};
