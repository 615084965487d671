import type { Db } from '../../db/db.js';
import { LEVELS_WITH_RESERVED_SQL, stockLevelOf, type LevelRow, type StockLevel } from '../inventory/lock-stock-levels.js';
import { LOCATION_COLUMNS, toLocation, type Location, type LocationRow } from '../inventory/location-repository.js';
import type { RoutingRule } from './routing-rule.js';
import { RULE_COLUMNS, toRule, type RuleRow } from './routing-rule-repository.js';

export interface RoutingInputs {
  levels: StockLevel[];
  locations: Location[];
  rules: RoutingRule[];
}

/**
 * What routing decides on, without a lock, in one round trip: the variants' levels with their
 * reservations, every location, every rule, all as of one snapshot. The order path routes on this
 * before it locks anything, so each statement saved here is a round trip off every order.
 */
export async function readRoutingInputs(db: Db, variantIds: string[]): Promise<RoutingInputs> {
  const ids = [...new Set(variantIds)];
  const { rows } = await db.query<{ levels: (LevelRow & { reserved: number })[]; locations: LocationRow[]; rules: RuleRow[] }>(
    `SELECT COALESCE((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.variant_id, s.location_id) FROM (${LEVELS_WITH_RESERVED_SQL}) s), '[]'::jsonb) AS levels,
            COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.id) FROM (SELECT ${LOCATION_COLUMNS} FROM locations) x), '[]'::jsonb) AS locations,
            COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.position, x.id) FROM (SELECT ${RULE_COLUMNS} FROM routing_rules) x), '[]'::jsonb) AS rules`,
    [ids],
  );
  const row = rows[0]!;
  return {
    levels: row.levels.map((l) => stockLevelOf(l, l.reserved)),
    locations: row.locations.map(toLocation),
    rules: row.rules.map(toRule),
  };
}
