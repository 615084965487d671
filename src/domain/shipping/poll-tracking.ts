import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { applyHeldTrackingEvents, applyTrackingUpdates, type TrackingOutcome } from './apply-tracking-updates.js';
import type { Carrier } from './carrier.js';

export interface PollResult {
  polled: number;
  outcomes: TrackingOutcome[];
  failures: { shipmentId: number; reason: string }[];
}

/**
 * Asks the carriers about open shipments nobody has heard of lately: no carrier event (webhook or
 * poll) and no poll for `staleHours`. Covers carriers without webhooks and webhooks that got lost.
 * A carrier that fails is reported and asked again on a later run.
 */
export async function pollTracking(
  db: Db,
  carriers: readonly Carrier[],
  actor: Actor,
  options: { staleHours: number; now?: Date; limit?: number },
): Promise<PollResult> {
  const now = options.now ?? new Date();
  const held = await applyHeldTrackingEvents(db, actor);
  const before = new Date(now.getTime() - options.staleHours * 3_600_000).toISOString();
  const accounts = carriers.map((c) => c.account);
  const { rows } = await db.query<{ id: number; carrier_account: string; carrier: string | null; tracking_number: string }>(
    `SELECT id, carrier_account, carrier, tracking_number FROM shipments
      WHERE tracking_number IS NOT NULL AND voided_at IS NULL AND carrier_account = ANY($1::text[])
        AND status IN ('pre_transit', 'in_transit', 'out_for_delivery', 'exception')
        AND COALESCE(last_event_at, label_purchased_at, created_at) < $2
        AND (last_polled_at IS NULL OR last_polled_at < $2)
      ORDER BY COALESCE(last_polled_at, label_purchased_at, created_at) LIMIT $3`,
    [accounts, before, options.limit ?? 200],
  );
  const result: PollResult = { polled: 0, outcomes: held, failures: [] };
  for (const s of rows) {
    const carrier = carriers.find((c) => c.account === s.carrier_account)!;
    try {
      const update = await carrier.track(s.tracking_number, s.carrier ?? s.carrier_account);
      result.outcomes.push(...(await applyTrackingUpdates(db, s.carrier_account, [update], actor)));
      result.polled += 1;
    } catch (err) {
      result.failures.push({ shipmentId: Number(s.id), reason: (err as Error).message });
    }
    await db.query('UPDATE shipments SET last_polled_at = $2 WHERE id = $1', [s.id, now.toISOString()]);
  }
  return result;
}
