import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelToken } from '../config/config.js';
import type { SessionUser } from '../security/session-store.js';
import type { ErrorBody } from './error-handler.js';

/**
 * Who a request authenticated as: API_TOKEN (everything), one channel's token (its own orders),
 * METRICS_TOKEN (the metrics scrape), or a person's session cookie (what their role allows).
 */
export type ApiCaller =
  | { kind: 'full' }
  | { kind: 'channel'; channel: string }
  | { kind: 'metrics' }
  | { kind: 'user'; user: SessionUser };

/** The tokens the server accepts; with none at all the API is open (loopback only, see startApp). */
export interface ApiCredentials {
  fullToken?: string;
  channelTokens: readonly ChannelToken[];
  /** May only read `/metrics` (metrics-token-routes.ts). */
  metricsToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route guard on routes that need a token; null on public routes and when the API is open. */
    apiCaller: ApiCaller | null;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Returns a function that maps an Authorization header to its caller, or undefined when the
 * header holds no token we issued. Tokens are compared as SHA-256 digests, all of them on every
 * call, so neither the length nor the position of a near miss shows in the timing.
 */
export function createCallerIdentifier(credentials: ApiCredentials): (authorization: string | undefined) => ApiCaller | undefined {
  const full = credentials.fullToken === undefined ? undefined : digest(credentials.fullToken);
  const channels = credentials.channelTokens.map((t) => ({ channel: t.channel, digest: digest(t.token) }));
  const metrics = credentials.metricsToken === undefined ? undefined : digest(credentials.metricsToken);
  return (authorization) => {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    const given = digest(token);
    let caller: ApiCaller | undefined;
    if (full !== undefined && timingSafeEqual(given, full)) caller = { kind: 'full' };
    for (const c of channels) {
      const match = timingSafeEqual(given, c.digest);
      if (match && caller === undefined) caller = { kind: 'channel', channel: c.channel };
    }
    if (metrics !== undefined && timingSafeEqual(given, metrics) && caller === undefined) caller = { kind: 'metrics' };
    return caller;
  };
}

/** Why this caller may not write an order of `channel`, or undefined when it may. */
export function channelWriteRefusal(caller: ApiCaller | null, channel: string): ErrorBody | undefined {
  if (caller?.kind !== 'channel' || caller.channel === channel) return undefined;
  return {
    error: `the ${caller.channel} channel token may only write ${caller.channel} orders, not orders of channel ${channel}`,
    code: 'channel_forbidden',
    issues: [{ path: 'channel', message: `must be ${caller.channel} for this token` }],
  };
}
