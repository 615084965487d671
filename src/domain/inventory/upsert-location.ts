import { z } from 'zod';
import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { postalCoordinates } from '../routing/postal-coordinates.js';
import { SERVICE_LEVELS } from '../shipping/carrier.js';
import { findLocation, type Location } from './location-repository.js';
import { writeAvailableChanged } from './write-available-changed.js';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** What a location is given as (API body, demo data); coordinates come from the address when left out. */
export const locationInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['warehouse', 'store', '3pl']),
    region: z.string().trim().min(1).max(64),
    country: z.string().trim().min(2).max(64),
    address1: z.string().trim().max(200).default(''),
    city: z.string().trim().max(100).default(''),
    state: z.string().trim().max(100).default(''),
    zip: z.string().trim().max(20).default(''),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    services: z.array(z.enum(SERVICE_LEVELS)).min(1).default(['standard', 'expedited', 'overnight']),
    hazmat: z.boolean().default(false),
    maxWeightGrams: z.number().int().positive().nullable().default(null),
    cutoffTime: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM (24-hour)').default('14:00'),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York').default('UTC'),
    handlingDays: z.number().int().min(0).max(30).default(1),
    priority: z.number().int().default(100),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((l) => (l.latitude == null) === (l.longitude == null), { message: 'give both latitude and longitude, or neither', path: ['latitude'] });

export type LocationInput = z.input<typeof locationInputSchema>;

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A validation failure that names each field at fault (the HTTP error body shows `issues`). */
export class LocationInvalidError extends DomainError {
  constructor(readonly issues: { path: string; message: string }[]) {
    super('invalid', 'invalid_location', `the location is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }
}

/**
 * Creates or replaces a location. Fields left out take their defaults; latitude and longitude,
 * when left out, come from the address (the ZIP's point in the US, the country's centroid
 * elsewhere), so distances always have something to go on. Audited with what changed.
 */
export async function upsertLocation(db: Db, id: string, input: unknown, actor: Actor): Promise<{ location: Location; created: boolean }> {
  if (!ID.test(id)) throw new LocationInvalidError([{ path: 'id', message: 'must be 1-64 lowercase letters, digits, "-" or "_"' }]);
  const parsed = locationInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new LocationInvalidError(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
  }
  const l = parsed.data;
  let latitude = l.latitude ?? null;
  let longitude = l.longitude ?? null;
  if (latitude === null) {
    const found = postalCoordinates({ country: l.country, zip: l.zip });
    if (found) ({ latitude, longitude } = found);
  }
  return db.transaction(async (tx) => {
    const before = await findLocation(tx, id);
    await tx.query(
      `INSERT INTO locations (id, name, kind, region, country, address1, city, state, zip, latitude, longitude, services, hazmat,
                              max_weight_grams, cutoff_time, time_zone, handling_days, priority, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (id) DO UPDATE SET name = $2, kind = $3, region = $4, country = $5, address1 = $6, city = $7, state = $8, zip = $9,
         latitude = $10, longitude = $11, services = $12, hazmat = $13, max_weight_grams = $14, cutoff_time = $15, time_zone = $16,
         handling_days = $17, priority = $18, active = $19`,
      [id, l.name, l.kind, l.region, l.country, l.address1, l.city, l.state, l.zip, latitude, longitude, l.services, l.hazmat,
        l.maxWeightGrams, l.cutoffTime, l.timeZone, l.handlingDays, l.priority, l.active],
    );
    const location = (await findLocation(tx, id))!;
    // Only active locations sell, so switching one on or off changes what every channel may show.
    if (before && before.active !== location.active) {
      const { rows } = await tx.query<{ variant_id: string }>('SELECT variant_id FROM inventory_levels WHERE location_id = $1', [id]);
      await writeAvailableChanged(tx, rows.map((r) => r.variant_id), location.active ? 'location_activated' : 'location_deactivated');
    }
    await recordAudit(tx, actor, {
      action: before ? 'location.updated' : 'location.created',
      entityType: 'location',
      entityId: id,
      data: { before, after: location },
    });
    return { location, created: before === null };
  });
}
