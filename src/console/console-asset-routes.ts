import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ErrorBody } from '../server/error-handler.js';
import type { RoutePlugin } from '../server/route-plugin.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

// Scripts and styles come from this server only; data calls go to /api on the same origin.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * GET /console/*: the built console (dist/console). The shell and its assets hold no data, so
 * they are public (public-routes.ts); everything they show comes from /api with the session
 * cookie. Hashed assets are cached for a year, the shell never.
 */
export function consoleAssetRoutes(distDir: string): RoutePlugin {
  const root = normalize(distDir);
  return (app) => {
    // Relative asset paths in the shell resolve against /console/, so the bare address moves there.
    app.get('/console', async (_request, reply) => reply.redirect('/console/', 301));
    app.get<{ Params: { '*': string } }>('/console/*', async (request, reply) => {
      const wanted = request.params['*'] || 'index.html';
      const path = normalize(join(root, wanted));
      if (!path.startsWith(root + sep)) return reply.code(404).send({ error: `no console file ${wanted}`, code: 'route_not_found' } satisfies ErrorBody);
      const type = TYPES[extname(path)];
      const body = type ? await readFile(path).catch(() => undefined) : undefined;
      if (body === undefined) {
        if (wanted === 'index.html') {
          return reply.code(503).send({ error: 'the console is not built: run npm run build:console', code: 'console_not_built' } satisfies ErrorBody);
        }
        return reply.code(404).send({ error: `no console file ${wanted}`, code: 'route_not_found' } satisfies ErrorBody);
      }
      const immutable = wanted.startsWith('assets/');
      return reply
        .header('content-type', type)
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin')
        .send(body);
    });
  };
}
