import type { Db } from '../../db/db.js';
import type { ServiceLevel } from '../shipping/carrier.js';

export type LocationKind = 'warehouse' | 'store' | '3pl';

/** A place stock ships from, with what routing and promised dates need to know of it. */
export interface Location {
  id: string;
  name: string;
  kind: LocationKind;
  /** A free label for grouping (us-east, eu...); routing conditions use the address, not this. */
  region: string;
  country: string;
  address1: string;
  city: string;
  state: string;
  zip: string;
  latitude: number | null;
  longitude: number | null;
  services: ServiceLevel[];
  hazmat: boolean;
  maxWeightGrams: number | null;
  /** Local HH:MM in timeZone after which an order leaves a handling day later. */
  cutoffTime: string;
  timeZone: string;
  handlingDays: number;
  /** Lower ships first under the priority strategy. */
  priority: number;
  active: boolean;
}

export interface LocationRow {
  id: string;
  name: string;
  kind: LocationKind;
  region: string;
  country: string;
  address1: string;
  city: string;
  state: string;
  zip: string;
  latitude: number | null;
  longitude: number | null;
  services: ServiceLevel[];
  hazmat: boolean;
  max_weight_grams: number | null;
  cutoff_time: string;
  time_zone: string;
  handling_days: number;
  priority: number;
  active: boolean;
}

export const LOCATION_COLUMNS = `id, name, kind, region, country, address1, city, state, zip, latitude, longitude, services, hazmat,
  max_weight_grams, cutoff_time, time_zone, handling_days, priority, active`;

export function toLocation(r: LocationRow): Location {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    region: r.region,
    country: r.country,
    address1: r.address1,
    city: r.city,
    state: r.state,
    zip: r.zip,
    latitude: r.latitude,
    longitude: r.longitude,
    services: r.services,
    hazmat: r.hazmat,
    maxWeightGrams: r.max_weight_grams,
    cutoffTime: r.cutoff_time,
    timeZone: r.time_zone,
    handlingDays: r.handling_days,
    priority: r.priority,
    active: r.active,
  };
}

/** Every location (or only the active ones), in id order. */
export async function listLocations(db: Db, options: { activeOnly?: boolean } = {}): Promise<Location[]> {
  const { rows } = await db.query<LocationRow>(
    `SELECT ${LOCATION_COLUMNS} FROM locations ${options.activeOnly ? 'WHERE active' : ''} ORDER BY id`,
  );
  return rows.map(toLocation);
}

export async function findLocation(db: Db, id: string): Promise<Location | null> {
  const { rows } = await db.query<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM locations WHERE id = $1`, [id]);
  return rows[0] ? toLocation(rows[0]) : null;
}
