import type { RoutePlugin } from '../route-plugin.js';

/** `GET /healthz`: 200 when the database answers, with its kind and how many orders it holds. */
export const healthRoutes: RoutePlugin = (app, { db }) => {
  app.get('/healthz', async (_request, reply) => {
    try {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
      return { status: 'ok', db: db.kind, orders: rows[0]!.n };
    } catch (err) {
      return reply.code(503).send({ status: 'error', db: db.kind, error: (err as Error).message });
    }
  });
};
