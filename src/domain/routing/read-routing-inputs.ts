import type { Db } from '../../db/db.js';
import { levelsWithReservedSql, stockLevelOf, type LevelRow, type StockLevel } from '../inventory/lock-stock-levels.js';
import { LOCATION_COLUMNS, toLocation, type Location, type LocationRow } from '../inventory/location-repository.js';
import type { RoutingRule } from './routing-rule.js';
import { RULE_COLUMNS, toRule, type RuleRow } from './routing-rule-repository.js';

export interface RoutingInputs {
  levels: StockLevel[];
  locations: Location[];
  rules: RoutingRule[];
}

/** The routing inputs as `routingInputsColumns` selects them. */
export interface RoutingInputsRow {
  routing_levels: (LevelRow & { reserved: number })[];
  routing_locations: LocationRow[];
  routing_rules: RuleRow[];
}

/**
 * Select-list columns reading what routing decides on for the variants `ids` (an SQL text[]
 * expression) lists: levels with their reservations, every location, every rule. A caller adds
 * them to a statement it makes anyway, so routing costs no round trip of its own.
 */
export const routingInputsColumns = (ids: string) =>
  `COALESCE((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.variant_id, s.location_id) FROM (${levelsWithReservedSql(ids)}) s), '[]'::jsonb) AS routing_levels,
   COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.id) FROM (SELECT ${LOCATION_COLUMNS} FROM locations) x), '[]'::jsonb) AS routing_locations,
   COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.position, x.id) FROM (SELECT ${RULE_COLUMNS} FROM routing_rules) x), '[]'::jsonb) AS routing_rules`;

export function routingInputsOf(row: RoutingInputsRow): RoutingInputs {
  return {
    levels: row.routing_levels.map((l) => stockLevelOf(l, l.reserved)),
    locations: row.routing_locations.map(toLocation),
    rules: row.routing_rules.map(toRule),
  };
}

/**
 * What routing decides on, without a lock, in one round trip and as of one snapshot. The order
 * path routes on this before it locks anything, so each statement saved here is one off every order.
 */
export async function readRoutingInputs(db: Db, variantIds: string[]): Promise<RoutingInputs> {
  const { rows } = await db.query<RoutingInputsRow>(`SELECT ${routingInputsColumns('$1::text[]')}`, [[...new Set(variantIds)]]);
  return routingInputsOf(rows[0]!);
}
