import type { RoutePlugin } from '../route-plugin.js';

/**
 * `GET /healthz`: 200 when the database answers, with its kind, how many orders it holds, and the
 * state of each outside service the running parts reported (Slack, say). A dependency that is
 * still connecting or failing is shown but keeps the answer 200: the core serves without it.
 */
export const healthRoutes: RoutePlugin = (app, { db, health }) => {
  app.get('/healthz', async (_request, reply) => {
    const dependencies = health?.snapshot() ?? {};
    try {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
      return { status: 'ok', db: db.kind, orders: rows[0]!.n, ...dependencies };
    } catch (err) {
      return reply.code(503).send({ status: 'error', db: db.kind, error: (err as Error).message, ...dependencies });
    }
  });
};
