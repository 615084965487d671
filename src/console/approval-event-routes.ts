import type { ErrorBody } from '../server/error-handler.js';
import type { RoutePlugin } from '../server/route-plugin.js';
import type { ApprovalEventHub } from './approval-event-hub.js';

const KEEPALIVE_MS = 20_000;

/**
 * GET /api/events: approval changes as server-sent events (`approval.created`, `approval.decided`,
 * `approval.expired`, data `{ approval_id, status, order_id }`), behind a session or API_TOKEN
 * like every /api route. Only a caller that asks for `Accept: text/event-stream` gets the stream;
 * anyone else gets 406 at once instead of a response that never ends.
 */
export function approvalEventRoutes(hub: ApprovalEventHub): RoutePlugin {
  return (app) => {
    const open = new Set<{ end(): void }>();
    // A closing server ends the open streams first, so it does not wait for browsers to hang up.
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });
    app.get('/api/events', (request, reply) => {
      if (!(request.headers.accept ?? '').includes('text/event-stream')) {
        return reply.code(406).send({ error: 'GET /api/events is a server-sent event stream: send Accept: text/event-stream', code: 'not_acceptable' } satisfies ErrorBody);
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n: connected\n\n');
      const unsubscribe = hub.subscribe((event) => {
        // Ended by a closing server (preClose) before the browser's hang-up unsubscribes it.
        if (res.writableEnded) return;
        const { type, ...data } = event;
        res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      });
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
      keepalive.unref();
      const close = () => {
        clearInterval(keepalive);
        unsubscribe();
      };
      open.add(res);
      request.raw.on('close', () => {
        open.delete(res);
        close();
      });
    });
  };
}
