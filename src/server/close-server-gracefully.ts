import type { FastifyInstance } from 'fastify';

const IDLE_SWEEP_MS = 50;

/**
 * Stops taking connections and waits for the requests being answered. Node's `server.close()`
 * ends only the keep-alive connections idle at that moment; one whose response is still being
 * written stays open after it, until the client's keep-alive timeout (72 s here), and holds the
 * shutdown with it. So the idle ones are swept again until the server has closed. A request that
 * arrives on such a connection meanwhile gets Fastify's 503, and the client tries elsewhere.
 */
export async function closeServerGracefully(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
