import { existsSync } from 'node:fs';
import { systemActor } from '../domain/actor.js';
import { loadRoutingRulesFile } from '../domain/routing/routing-rules-file.js';
import { registerRoutes } from './route-plugin.js';
import { routingRoutes } from './routes/routing-routes.js';
import type { AppExtension } from './start-app.js';

const DEFAULT_RULES_FILE = 'routing-rules.yaml';

/**
 * Loads ROUTING_RULES_FILE into routing_rules (an invalid file stops the start with the rule and
 * field named) and mounts the routing API. A missing default file is skipped; a missing file
 * named in config is an error.
 */
export const routingExtension: AppExtension = async (ctx) => {
  const path = ctx.config.ROUTING_RULES_FILE;
  if (existsSync(path)) {
    const n = await loadRoutingRulesFile(ctx.db, path, systemActor('routing-rules-file'));
    ctx.log(`routing rules: ${n} from ${path}`);
  } else if (path !== DEFAULT_RULES_FILE) {
    throw new Error(`ROUTING_RULES_FILE: ${path} does not exist`);
  } else {
    ctx.log(`routing rules: no ${path}; defaults (${ctx.config.ROUTING_DEFAULT_STRATEGY}, up to ${ctx.config.ROUTING_MAX_SPLITS} shipments)`);
  }
  registerRoutes(ctx.app, routingRoutes);
};
