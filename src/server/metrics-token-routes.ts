/**
 * The routes METRICS_TOKEN may call, as `METHOD /registered/pattern`: the scrape and nothing else,
 * so a scraper's credential reads counts, never an order.
 */
export const METRICS_TOKEN_ROUTES: readonly string[] = ['GET /metrics', 'HEAD /metrics'];

const allowed = new Set(METRICS_TOKEN_ROUTES);

/** True when METRICS_TOKEN may call the route registered as `pattern` for `method`. */
export function isMetricsTokenRoute(method: string, pattern: string): boolean {
  return allowed.has(`${method.toUpperCase()} ${pattern}`);
}
