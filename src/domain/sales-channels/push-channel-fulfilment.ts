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
  /** The public tracking page of a parcel, when the carrier has one we know; null otherwise. */
  trackingUrl?: (carrier: string | null, trackingNumber: string) => string | null;
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

  // One push of an order at a time (the lock held across the call, bounded by the adapter's
  // timeout): which shipment is the order's last depends on the pushes before it.
  const outcome = await db.transaction(async (tx) => {
    await advisoryXactLock(tx, `channel-fulfilment:${s.order_id}`);
    const { rows: done } = await tx.query<{ status: string; external_fulfilment_id: string | null }>(
      'SELECT status, external_fulfilment_id FROM channel_fulfilments WHERE shipment_id = $1',
      [shipmentId],
    );
    if (done[0]?.status === 'pushed') {
      return { status: 'already_pushed', channel: s.channel, externalFulfilmentId: done[0].external_fulfilment_id } as const;
    }
    const key = channelFulfilmentKey(shipmentId);
    const fulfilment: ChannelFulfilment = {
      externalOrderId: s.external_id!,
      lines: await fulfilmentLines(tx, s.order_id, shipmentId),
      carrier: s.carrier ?? s.carrier_account ?? 'other',
      trackingNumber: s.tracking_number!,
      trackingUrl: options.trackingUrl?.(s.carrier, s.tracking_number!) ?? null,
      notifyCustomer: true,
      idempotencyKey: key,
    };
    const now = (options.now ?? new Date()).toISOString();
    const record = (status: 'pushed' | 'failed', externalId: string | null, error: string | null) =>
      tx.query(
        `INSERT INTO channel_fulfilments (shipment_id, order_id, channel, external_order_id, external_fulfilment_id, idempotency_key,
                                          status, attempts, last_error, pushed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, CASE WHEN $7 = 'pushed' THEN $9::timestamptz END, $9::timestamptz)
         ON CONFLICT (shipment_id) DO UPDATE SET
           status = EXCLUDED.status, attempts = channel_fulfilments.attempts + 1, last_error = EXCLUDED.last_error,
           external_fulfilment_id = COALESCE(EXCLUDED.external_fulfilment_id, channel_fulfilments.external_fulfilment_id),
           pushed_at = COALESCE(EXCLUDED.pushed_at, channel_fulfilments.pushed_at), updated_at = EXCLUDED.updated_at`,
        [shipmentId, s.order_id, s.channel, s.external_id, externalId, key, status, error, now],
      );
    try {
      const { externalFulfilmentId } = await storefront.pushFulfilment(fulfilment);
      await record('pushed', externalFulfilmentId, null);
      return { status: 'pushed', channel: s.channel, externalFulfilmentId } as const;
    } catch (err) {
      // Recorded and committed, then thrown after the commit, so the failure stays visible.
      await record('failed', null, err instanceof Error ? err.message : String(err));
      return { status: 'failed', error: err } as const;
    }
  });
  if (outcome.status === 'failed') throw outcome.error;
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
