import type { Tracer } from '@opentelemetry/api';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../config/logger.js';
import { errorHandler } from './error-handler.js';
import { installRequestInputGuard } from './request-input-guard.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { installRequestLog } from './request-log.js';
import { installRequestTracing } from './request-tracing.js';
import { installRequestMetrics } from './request-metrics.js';
import { installRouteAuth } from './route-auth.js';
import { registerRoutes, type RoutePlugin, type ServerDeps } from './route-plugin.js';
import { API_OPERATIONS } from './api-operations.js';
import { apiDocsRoutes } from './routes/api-docs-routes.js';
import { orderRecordRoutes } from './routes/order-record-routes.js';
import { actionRoutes } from './routes/action-routes.js';
import { approvalRoutes } from './routes/approval-routes.js';
import { customerRoutes } from './routes/customer-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { flagRoutes } from './routes/flag-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { inboxRoutes } from './routes/inbox-routes.js';
import { inventoryRoutes } from './routes/inventory-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { orderRoutes } from './routes/order-routes.js';
import { productRoutes } from './routes/product-routes.js';
import { oidcRoutes } from './routes/oidc-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { stockOutlookRoutes } from './routes/stock-outlook-routes.js';
import { trendRoutes } from './routes/trend-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { createSessionStore } from '../security/session-store.js';
import { createUserRepository } from '../security/user-repository.js';

export interface BuildServerOptions extends ServerDeps {
  /** More route groups to mount beside the core API (Slack, inbound email, dashboard...). */
  routes?: RoutePlugin[];
  /** The process's root logger (startApp's); without one, a logger at LOG_LEVEL is made here. */
  logger?: Logger;
  /** Where that made logger writes instead of stdout (tests). */
  logStream?: NodeJS.WritableStream;
  /** With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): a span per request. */
  tracer?: Tracer;
}

/** The route groups every server has. */
export const CORE_ROUTES: readonly RoutePlugin[] = [
  healthRoutes,
  metricsRoutes,
  orderRoutes,
  orderRecordRoutes,
  productRoutes,
  customerRoutes,
  inventoryRoutes,
  dashboardRoutes,
  jobRoutes,
  approvalRoutes,
  actionRoutes,
  flagRoutes,
  inboxRoutes,
  stockOutlookRoutes,
  trendRoutes,
  sessionRoutes,
  oidcRoutes,
  userRoutes,
  apiDocsRoutes(() => API_OPERATIONS),
];

/**
 * The HTTP server with the core API mounted and not yet listening. Callers add their own route
 * groups through `options.routes` or `registerRoutes(app, plugin)` before `listen`/`ready`.
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const { routes = [], logger, logStream, tracer, ...given } = options;
  const metrics = given.metrics ?? createMetricsRegistry({ db: given.db });
  const deps: ServerDeps = { ...given, metrics };
  const app = Fastify({
    // Typed as Fastify's base logger so the instance keeps the type every route plugin expects.
    loggerInstance: (logger ?? createLogger(deps.config, logStream)).child({ component: 'http' }) as FastifyBaseLogger,
    // One line per request at debug (installRequestLog) instead of Fastify's two at info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  });
  app.decorate('orderops', deps);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: `no route ${request.method} ${request.url}`, code: 'route_not_found' });
  });
  // Before any route exists, so the guards run first for every route, whichever plugin adds it.
  const sessions = createSessionStore(deps.db, { ttlMs: deps.config.SESSION_TTL_HOURS * 3_600_000 });
  const users = createUserRepository(deps.db, { hashRounds: deps.config.PASSWORD_HASH_ROUNDS });
  installRouteAuth(app, { fullToken: deps.config.API_TOKEN, channelTokens: deps.config.API_TOKENS, metricsToken: deps.config.METRICS_TOKEN }, {
    lookup: (token) => sessions.lookup(token),
    anyUsers: () => users.anyUsers(),
  });
  installRequestInputGuard(app);
  installRequestMetrics(app, metrics);
  installRequestLog(app);
  if (tracer) installRequestTracing(app, tracer);
  // Forms are read on every route, so a form posted without its _csrf field meets the CSRF check
  // (403) rather than an unsupported media type; route groups that need the raw body replace it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  for (const plugin of [...CORE_ROUTES, ...routes]) registerRoutes(app, plugin);
  return app;
}
