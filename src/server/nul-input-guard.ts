import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './error-handler.js';
import { nulCharacterPaths } from './nul-character-paths.js';

/**
 * Refuses, for every route, a request whose route parameters, query string or parsed body hold a
 * NUL character: 400 naming each field, before any handler runs or anything is written. Requests
 * that match no route keep their 404.
 */
export function installNulInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.is404) return;
    const paths = [
      ...nulCharacterPaths(request.params, 'params'),
      ...nulCharacterPaths(request.query, 'query'),
      ...nulCharacterPaths(request.body),
    ];
    if (paths.length === 0) return;
    return reply.code(400).send({
      error: `text must not contain a NUL character (U+0000): ${paths.join(', ')}`,
      code: 'nul_character',
      issues: paths.map((path) => ({ path, message: 'must not contain a NUL character (U+0000)' })),
    } satisfies ErrorBody);
  });
}
