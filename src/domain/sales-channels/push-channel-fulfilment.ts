import { advisoryXactLock } from '../../db/advisory-xact-lock.js';
import type { Db } from '../../db/db.js';
import type { ChannelFulfilment, StorefrontChannel } from './storefront-channel.js';

export type ChannelFulfilmentOutcome =
  | { status: 'pushed'; channel: string; externalFulfilmentId: string }
  /** Pushed by an earlier call: the channel was not called again. */
  | { status: 'already_pushed'; channel: string; externalFulfilmentId: string | null }
  /** Nothing to push: the order's channel has no storefront adapter here, or the shipment has no label. */
  | { status: 'skipped'; reason: string };

export interface PushChannelFulfilmentOptions {
  /** The public tracking page of a parcel (the carrier's, or the order's own); null for none. */
  trackingUrl?: (carrier: string | null, trackingNumber: string, orderId: string) => string | null;
  now?: Date;
}

interface ShipmentRow {
  id: string;
  order_id: string;
  carrier: string | null;
  carrier_account: string | null;
  tracking_number: string | null;
  label_purchased_at: Date | null;
  voided_at: Date | null;
  channel: string;
  external_id: string | null;
}

// Longer than an adapter's whole call with its own retries: a push still running is never taken over.
const PUSH_LEASE_MS = 10 * 60_000;

/** The key a shipment's fulfilment is pushed under, the same on every retry. */
export const channelFulfilmentKey = (shipmentId: number) => `fulfilment:${shipmentId}`;

/**
 * Pushes one labelled shipment of a storefront order to that storefront as a fulfilment with its
 * carrier and tracking, at most once: a shipment recorded as pushed is not pushed again, and the
 * call carries a key derived from the shipment so an adapter retrying a lost answer finds its
 * first fulfilment. A failed call is recorded (status failed, attempts, the error) and rethrown,
 * so the caller's retry and dead-letter path applies.
 */
export async function pushChannelFulfilment(
  db: Db,
  channels: readonly StorefrontChannel[],
  shipmentId: number,
  options: PushChannelFulfilmentOptions = {},
): Promise<ChannelFulfilmentOutcome> {
  const { rows } = await db.query<ShipmentRow>(
    `SELECT s.id, s.order_id, s.carrier, s.carrier_account, s.tracking_number, s.label_purchased_at, s.voided_at, o.channel, o.external_id
       FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = $1`,
    [shipmentId],
  );
  const s = rows[0];
  if (!s) return { status: 'skipped', reason: `shipment ${shipmentId} not found` };
  const storefront = channels.find((c) => c.channel === s.channel);
  if (!storefront) return { status: 'skipped', reason: `orders from ${s.channel} are not pushed to a storefront` };
  if (!s.external_id) return { status: 'skipped', reason: `order ${s.order_id} has no ${s.channel} order id` };
  if (!s.label_purchased_at || !s.tracking_number || s.voided_at) return { status: 'skipped', reason: `shipment ${shipmentId} has no live label` };

  // Claimed in a short transaction under the order's lock (which shipment is the order's last
  // depends on the pushes before it), the storefront called outside any transaction, the result
  // recorded in another: a slow or throttled store holds no connection.
  const key = channelFulfilmentKey(shipmentId);
  const started = options.now ?? new Date();
  const claimOnce = () => db.transaction(async (tx) => {
    await advisoryXactLock(tx, `channel-fulfilment:${s.order_id}`);
    const { rows: done } = await tx.query<{ shipment_id: string; status: string; external_fulfilment_id: string | null; leased: boolean }>(
      `SELECT shipment_id::text, status, external_fulfilment_id, (status = 'pushing' AND lease_until > $2) AS leased
         FROM channel_fulfilments WHERE order_id = $1`,
      [s.order_id, started],
    );
    const mine = done.find((d) => Number(d.shipment_id) === shipmentId);
    if (mine?.status === 'pushed') {
      return { status: 'already_pushed', channel: s.channel, externalFulfilmentId: mine.external_fulfilment_id } as const;
    }
    // A push of this order in flight (this shipment's or another's): its outcome decides ours, so
    // this delivery is retried later, when it has ended or its lease has run out.
    const inFlight = done.find((d) => d.leased);
    if (inFlight) return { status: 'in_flight', shipmentId: inFlight.shipment_id } as const;
    const fulfilment: ChannelFulfilment = {
      externalOrderId: s.external_id!,
      lines: await fulfilmentLines(tx, s.order_id, shipmentId),
      carrier: s.carrier ?? s.carrier_account ?? 'other',
      trackingNumber: s.tracking_number!,
      trackingUrl: options.trackingUrl?.(s.carrier, s.tracking_number!, s.order_id) ?? null,
      notifyCustomer: true,
      idempotencyKey: key,
    };
    await tx.query(
      `INSERT INTO channel_fulfilments (shipment_id, order_id, channel, external_order_id, idempotency_key, status, attempts, lease_until, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pushing', 1, $6, $7)
       ON CONFLICT (shipment_id) DO UPDATE SET
         status = 'pushing', attempts = channel_fulfilments.attempts + 1, lease_until = EXCLUDED.lease_until, updated_at = EXCLUDED.updated_at`,
      [shipmentId, s.order_id, s.channel, s.external_id, key, new Date(started.getTime() + PUSH_LEASE_MS), started],
    );
    return { status: 'claimed', fulfilment } as const;
  });
  let claim = await claimOnce();
  // Another parcel of the order in flight: wait for it here (no connection held), bounded by its lease.
  for (const until = Date.now() + PUSH_LEASE_MS; claim.status === 'in_flight' && Number(claim.shipmentId) !== shipmentId && Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 50));
    claim = await claimOnce();
  }
  if (claim.status === 'already_pushed') return claim;
  if (claim.status === 'in_flight') {
    throw new Error(`a fulfilment push of order ${s.order_id} (shipment ${claim.shipmentId}) is in flight; shipment ${shipmentId} is pushed after it`);
  }

  const record = (status: 'pushed' | 'failed', externalId: string | null, error: string | null) => {
    const at = (options.now ?? new Date()).toISOString();
    return db.query(
      `UPDATE channel_fulfilments SET status = $2, last_error = $4, lease_until = NULL, updated_at = $5::timestamptz,
              external_fulfilment_id = COALESCE($3, external_fulfilment_id),
              pushed_at = CASE WHEN $2 = 'pushed' THEN COALESCE(pushed_at, $5::timestamptz) ELSE pushed_at END
        WHERE shipment_id = $1`,
      [shipmentId, status, externalId, error, at],
    );
  };
  let outcome: Extract<ChannelFulfilmentOutcome, { status: 'pushed' }>;
  try {
    const { externalFulfilmentId } = await storefront.pushFulfilment(claim.fulfilment);
    outcome = { status: 'pushed', channel: s.channel, externalFulfilmentId };
  } catch (err) {
    // Recorded, then thrown, so the failure stays visible and the caller's retry applies.
    await record('failed', null, err instanceof Error ? err.message : String(err));
    throw err;
  }
  await record('pushed', outcome.externalFulfilmentId, null);
  return outcome;
}

/**
 * The channel lines this shipment carries, or none (the contract's "every remaining line") when
 * it is the order's last: every other line is in a labelled shipment already pushed. Only then
 * may the channel close the order (WooCommerce completes it), and an earlier shipment still owed
 * keeps its own lines to push.
 */
async function fulfilmentLines(db: Db, orderId: string, shipmentId: number): Promise<ChannelFulfilment['lines']> {
  const { rows } = await db.query<{ shipment_id: string | null; external_line_id: string | null; quantity: number; settled: boolean }>(
    `SELECT l.shipment_id, l.external_line_id, l.quantity,
            (s.label_purchased_at IS NOT NULL AND s.voided_at IS NULL AND f.status = 'pushed') AS settled
       FROM order_lines l
       LEFT JOIN shipments s ON s.id = l.shipment_id
       LEFT JOIN channel_fulfilments f ON f.shipment_id = l.shipment_id
      WHERE l.order_id = $1 ORDER BY l.position`,
    [orderId],
  );
  const mine = rows.filter((r) => r.shipment_id !== null && Number(r.shipment_id) === shipmentId);
  const others = rows.filter((r) => !mine.includes(r));
  if (others.every((r) => r.settled)) return [];
  const unnamed = mine.filter((r) => !r.external_line_id);
  if (unnamed.length > 0) {
    throw new Error(`shipment ${shipmentId} carries ${unnamed.length} line(s) without a channel line id, and is not the order's last`);
  }
  return mine.map((r) => ({ externalLineId: r.external_line_id!, quantity: r.quantity }));
}
