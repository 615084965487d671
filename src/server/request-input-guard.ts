import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './error-handler.js';
import { pathDeeperThan } from './json-nesting-depth.js';
import { nulCharacterPaths } from './nul-character-paths.js';

/** Far deeper than any order, webhook or mail JSON; see json-nesting-depth.ts. */
const MAX_BODY_DEPTH = 64;

/**
 * Refuses, for every route, a request whose route parameters, query string or parsed body hold a
 * NUL character, or whose body is nested deeper than MAX_BODY_DEPTH: 400 naming the fields, before
 * any handler runs or anything is written. Requests that match no route keep their 404. A route
 * registered with `config: { nulCharacters: 'strip' }` is left to clean its input itself.
 */
export function installRequestInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.is404) return;
    // A door that keeps whatever it is sent (inbound mail) strips NULs itself rather than refuse them.
    if (request.routeOptions.config.nulCharacters === 'strip') return;
    const paths = [
      ...nulCharacterPaths(request.params, 'params'),
      ...nulCharacterPaths(request.query, 'query'),
      ...nulCharacterPaths(request.body),
    ];
    if (paths.length === 0) {
      const deep = pathDeeperThan(request.body, MAX_BODY_DEPTH);
      if (deep === null) return;
      return reply.code(400).send({
        error: `input must not be nested more than ${MAX_BODY_DEPTH} levels deep: ${deep}`,
        code: 'too_deep',
        issues: [{ path: deep, message: `nested more than ${MAX_BODY_DEPTH} levels deep` }],
      } satisfies ErrorBody);
    }
    return reply.code(400).send({
      error: `text must not contain a NUL character (U+0000): ${paths.join(', ')}`,
      code: 'nul_character',
      issues: paths.map((path) => ({ path, message: 'must not contain a NUL character (U+0000)' })),
    } satisfies ErrorBody);
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `strip`: the route removes NUL characters itself (inbound mail); otherwise they are refused. */
    nulCharacters?: 'strip';
  }
}
