import type { FastifyInstance } from 'fastify';
import type { AgentService } from '../agent/agent-service.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { HealthRegistry } from './health-registry.js';
import type { MetricsRegistry } from './metrics-registry.js';

/** What every route plugin can use; also reachable as `app.orderops` on the server. */
export interface ServerDeps {
  db: Db;
  config: Config;
  queue?: JobQueue;
  /** The outside services the running parts depend on, for `/healthz`. */
  health?: HealthRegistry;
  /**
   * The process's one agent, so an approval decided over HTTP tells Slack and the customer's
   * email thread at once, as a button press does. A bare server (tests) makes its own.
   */
  agent?: AgentService;
  /** Where requests and jobs are timed and `/metrics` reads from; a bare server makes its own. */
  metrics?: MetricsRegistry;
}

/**
 * A group of routes (the REST API, Slack's endpoints, the inbound-email webhook...). Called once
 * inside its own encapsulated Fastify scope, so a plugin may add content-type parsers or hooks
 * (Slack's raw-body signature check, say) without affecting the other routes.
 */
export type RoutePlugin = (app: FastifyInstance, deps: ServerDeps) => Promise<void> | void;

declare module 'fastify' {
  interface FastifyInstance {
    orderops: ServerDeps;
  }
}

/** Mounts a route plugin on a server made by `buildServer`, before it starts listening. */
export function registerRoutes(app: FastifyInstance, plugin: RoutePlugin): void {
  app.register(async (scope) => {
    await plugin(scope, app.orderops);
  });
}
