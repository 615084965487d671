import { fewestShipmentsStrategy } from './fewest-shipments-strategy.js';
import { lowestCostStrategy } from './lowest-cost-strategy.js';
import { nearestStrategy } from './nearest-strategy.js';
import { priorityStrategy } from './priority-strategy.js';
import type { RoutingStrategyCode } from './routing-rule.js';
import type { RoutingStrategy } from './routing-strategy.js';

export const ROUTING_STRATEGY_BY_CODE: Record<RoutingStrategyCode, RoutingStrategy> = {
  priority: priorityStrategy,
  nearest: nearestStrategy,
  lowest_cost: lowestCostStrategy,
  fewest_shipments: fewestShipmentsStrategy,
};
