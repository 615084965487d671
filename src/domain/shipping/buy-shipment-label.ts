import { advisoryXactLock } from '../../db/advisory-xact-lock.js';
import type { Db } from '../../db/db.js';
import { writeOutbox } from '../events/write-outbox.js';
import type { Actor } from '../actor.js';
import { centsToNumeric, toCents, type Cents } from '../money.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import { findLocation } from '../inventory/location-repository.js';
import { SERVICE_LEVELS, type Carrier, type Label, type Rate, type ServiceLevel } from './carrier.js';
import { shopShipmentRate } from './shop-shipment-rate.js';
import { shipmentRateRequest } from './shipment-rate-request.js';
import { findShipment, type Shipment } from './shipment-repository.js';

export interface LabelOutcome {
  shipment: Shipment;
  /** False when the label existed already: nothing was bought by this call. */
  bought: boolean;
}

export interface BuyLabelOptions {
  now?: Date;
  /** A quote the caller picked (from quote_rates); otherwise rate shopping's choice for the order's level and promise. */
  rateId?: string;
  /** The most this label may cost: a dearer one is refused and nothing is bought. */
  maxAmount?: PriceCap;
}

/** A price a purchase must not exceed, and what set it (for the refusal): "approved", "AUTO_FULFIL limit". */
export interface PriceCap {
  cents: Cents;
  what: string;
}

export const carrierFor = (carriers: readonly Carrier[], account: string): Carrier => {
  const carrier = carriers.find((c) => c.account === account);
  if (!carrier) throw new DomainError('conflict', 'carrier_not_enabled', `carrier account ${account} is not enabled (CARRIERS)`);
  return carrier;
};

/**
 * Buys the label of one shipment, at most once. The idempotency key was stored with the shipment
 * when it was created, and the chosen rate is stored before the carrier is called, so a retry
 * after a timeout or a crash asks the same carrier with the same key and gets the first label
 * back: the carrier never sells a second one. The label is recorded only by the first caller to
 * finish, so two concurrent calls write it once. The carrier is called with the label key's
 * advisory lock held (a transaction open across the call, bounded by the adapter's timeout), so
 * that holds across processes too.
 */
export async function buyShipmentLabel(
  db: Db,
  carriers: readonly Carrier[],
  shipmentId: number,
  actor: Actor,
  options: BuyLabelOptions = {},
): Promise<LabelOutcome> {
  const now = options.now ?? new Date();
  const current = await findShipment(db, shipmentId);
  if (!current) throw new DomainError('not_found', 'shipment_not_found', `shipment ${shipmentId} not found`);
  if (current.labelPurchasedAt) return { shipment: current, bought: false };
  if (current.voidedAt) throw new DomainError('conflict', 'shipment_voided', `shipment ${shipmentId} was voided`);
  if (!current.labelIdempotencyKey) throw new Error(`shipment ${shipmentId} has no label idempotency key`);

  const request = await shipmentRateRequest(db, shipmentId);
  let shipment = current;
  let explanation: string | null = null;
  if (!shipment.rateId) {
    const level = await orderServiceLevel(db, shipment.orderId);
    const origin = shipment.locationId ? await findLocation(db, shipment.locationId) : null;
    const choice = await shopShipmentRate(carriers, request, {
      serviceLevel: level,
      promisedBy: shipment.promisedAt,
      shipDate: now,
      ...(origin ? { timeZone: origin.timeZone } : {}),
    });
    const rate = options.rateId ? choice.shopping.considered.find((c) => c.rate.rateId === options.rateId)?.rate : choice.rate;
    explanation = options.rateId ? `rate ${options.rateId} chosen by the caller` : choice.shopping.explanation;
    if (!rate) {
      throw new DomainError(
        'conflict',
        'no_rate',
        options.rateId
          ? `rate ${options.rateId} is not among the current quotes for shipment ${shipmentId}`
          : `no carrier quoted ${level} or better for shipment ${shipmentId}: ${choice.shopping.explanation}`,
      );
    }
    // First writer wins: a concurrent call that chose another rate uses the one recorded here.
    await db.query(
      `UPDATE shipments SET carrier_account = $2, carrier = $3, service = $4, service_level = $5, rate_id = $6,
              rate_amount = $7, rate_currency = $8, carrier_shipment_id = $9, updated_at = now()
        WHERE id = $1 AND rate_id IS NULL AND label_purchased_at IS NULL`,
      [shipmentId, rate.account, rate.carrier, rate.service, rate.serviceLevel, rate.rateId, rate.amount.toFixed(2), rate.currency, rate.carrierShipmentId ?? null],
    );
    shipment = (await findShipment(db, shipmentId))!;
    if (shipment.labelPurchasedAt) return { shipment, bought: false };
  }

  // The adapters' own guards (a single flight, a lookup by reference) hold within one process
  // only: two processes could both find no label at the carrier and both buy. An advisory lock on
  // the label key, held until the label is recorded, lets one caller at a time reach the carrier,
  // and the one that waited finds the label recorded and buys nothing.
  const key = shipment.labelIdempotencyKey!;
  return db.transaction(async (tx) => {
    await advisoryXactLock(tx, key);
    const locked = (await findShipment(tx, shipmentId))!;
    if (locked.labelPurchasedAt) return { shipment: locked, bought: false };
    if (locked.voidedAt) throw new DomainError('conflict', 'shipment_voided', `shipment ${shipmentId} was voided`);
    const rate = recordedRate(locked);
    if (options.maxAmount && toCents(rate.amount) > options.maxAmount.cents) {
      throw new DomainError(
        'conflict',
        'price_above_approved',
        `the label for shipment ${shipmentId} now costs ${rate.amount.toFixed(2)} ${rate.currency}, above the ${options.maxAmount.what} ${centsToNumeric(options.maxAmount.cents)}`,
      );
    }
    const label = await carrierFor(carriers, rate.account).buyLabel({ rate, request, idempotencyKey: key });
    return recordLabel(tx, locked, label, actor, now, explanation);
  });
}

function recordedRate(s: Shipment): Rate {
  const level = (SERVICE_LEVELS as readonly string[]).includes(s.serviceLevel ?? '') ? (s.serviceLevel as ServiceLevel) : 'standard';
  return {
    rateId: s.rateId!,
    account: s.carrierAccount!,
    carrier: s.carrier ?? s.carrierAccount!,
    service: s.service ?? '',
    serviceLevel: level,
    amount: Number(s.rateAmount ?? 0),
    currency: s.rateCurrency ?? 'USD',
    transitDays: null,
    ...(s.carrierShipmentId ? { carrierShipmentId: s.carrierShipmentId } : {}),
  };
}

async function orderServiceLevel(db: Db, orderId: string): Promise<ServiceLevel> {
  const { rows } = await db.query<{ service_level: string }>('SELECT service_level FROM orders WHERE id = $1', [orderId]);
  const level = rows[0]?.service_level ?? 'standard';
  return (SERVICE_LEVELS as readonly string[]).includes(level) ? (level as ServiceLevel) : 'standard';
}

async function recordLabel(db: Db, shipment: Shipment, label: Label, actor: Actor, now: Date, explanation: string | null): Promise<LabelOutcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE shipments SET tracking_number = $2, tracking_ids = ARRAY[$2::text], carrier = $3, service = $4, label_id = $5,
              label_url = $6, label_pdf = $7, rate_amount = $8, rate_currency = $9, label_purchased_at = $10,
              status = 'pre_transit', updated_at = now()
        WHERE id = $1 AND label_purchased_at IS NULL RETURNING id`,
      [shipment.id, label.trackingNumber, label.carrier, label.service, label.labelId, label.labelUrl, label.labelPdf,
        label.amount.toFixed(2), label.currency, now.toISOString()],
    );
    const bought = rows.length > 0;
    if (bought) {
      const payload = {
        shipmentId: shipment.id,
        orderId: shipment.orderId,
        account: label.account,
        carrier: label.carrier,
        service: label.service,
        trackingNumber: label.trackingNumber,
        amount: label.amount.toFixed(2),
        currency: label.currency,
      };
      await writeOutbox(tx, 'shipment.label_purchased', payload);
      // Why this rate, as rate shopping explained it (absent on a retry that reused the stored rate).
      await recordAudit(tx, actor, {
        action: 'shipment.label_purchased',
        entityType: 'shipment',
        entityId: String(shipment.id),
        data: { ...payload, ...(explanation ? { rateChoice: explanation } : {}) },
      });
    }
    return { shipment: (await findShipment(tx, shipment.id))!, bought };
  });
}
