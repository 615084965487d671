import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';

/**
 * Who a request acts as, for audit rows and approval decisions: the signed-in person, named by
 * their email (the id an email request carries, so nobody approves their own mailed request), or
 * else the credential that authenticated it: API_TOKEN, or no token at all on a loopback-only
 * server (startApp refuses to listen elsewhere without one).
 */
export function apiActor(request: FastifyRequest): Actor {
  const caller = request.apiCaller;
  if (caller?.kind === 'user') return { kind: 'person', id: caller.user.email };
  if (caller?.kind === 'channel') return { kind: 'api', id: `channel-token:${caller.channel}` };
  if (caller?.kind === 'metrics') return { kind: 'api', id: 'metrics-token' };
  return { kind: 'api', id: caller?.kind === 'full' ? 'api-token' : 'loopback' };
}
