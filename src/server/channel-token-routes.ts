/**
 * The routes a channel token (API_TOKENS) may call, as `METHOD /registered/pattern`. The handler
 * still checks that what it writes belongs to the token's channel (see channelWriteRefusal).
 * Everything else, reads included, needs API_TOKEN.
 */
export const CHANNEL_TOKEN_ROUTES: readonly string[] = ['POST /api/orders'];

const allowed = new Set(CHANNEL_TOKEN_ROUTES);

/** True when a channel token may call the route registered as `pattern` for `method`. */
export function isChannelTokenRoute(method: string, pattern: string): boolean {
  return allowed.has(`${method.toUpperCase()} ${pattern}`);
}
