import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CarrierError,
  type BuyLabelRequest,
  type Carrier,
  type Label,
  type Rate,
  type RateRequest,
  type ShippingAddress,
  type TrackingEvent,
  type TrackingStatus,
  type TrackingUpdate,
  type WebhookRequest,
  type WebhookResult,
} from '../../domain/shipping/carrier.js';
import { roundMoney } from '../../domain/money.js';
import { carrierDate } from './carrier-date.js';
import { carrierHttp, CarrierHttpError, type CarrierRequest } from './carrier-http.js';
import { carrierServiceLevel } from './carrier-service-level.js';
import { shippoWebhookRefusal } from './shippo-webhook-auth.js';
import { SingleFlight } from './single-flight.js';
import { webhookHeader } from './webhook-header.js';
import { webhookJson } from './webhook-json.js';

export const SHIPPO_ACCOUNT = 'shippo';

export interface ShippoCarrierOptions {
  apiToken: string;
  /** https://api.goshippo.com, or a local server in tests. */
  apiUrl: string;
  webhookSecret?: string;
  /** Header carrying Shippo's HMAC signature (lower case). */
  webhookHeader?: string;
  timeoutMs?: number;
  clock?: () => Date;
  /**
   * Pages of recent transactions searched for an earlier purchase with the same key. Shippo has
   * no lookup by metadata, so a purchase older than this window (5 pages of 100 by default) is
   * not found and a retry after that long would buy again; retries come within minutes.
   */
  lookbackPages?: number;
  /** How often, and how many times, a QUEUED or WAITING purchase is read again until it settles. */
  purchasePollIntervalMs?: number;
  purchasePollAttempts?: number;
}

/** A purchase Shippo has taken: bought, or still being bought. */
const PURCHASE_TAKEN = new Set(['QUEUED', 'WAITING', 'SUCCESS']);
const PURCHASE_PENDING = new Set(['QUEUED', 'WAITING']);

const rateSchema = z.object({
  object_id: z.string(),
  amount: z.union([z.string(), z.number()]),
  currency: z.string().default('USD'),
  provider: z.string(),
  servicelevel: z.object({ name: z.string().nullable().optional(), token: z.string().nullable().optional() }),
  estimated_days: z.number().nullable().optional(),
  shipment: z.string().optional(),
});
type ShippoRate = z.infer<typeof rateSchema>;

const shipmentSchema = z.object({
  object_id: z.string(),
  status: z.string().optional(),
  rates: z.array(rateSchema).default([]),
  messages: z.array(z.object({ text: z.string().optional() }).passthrough()).default([]),
});

const transactionSchema = z.object({
  object_id: z.string(),
  status: z.string(),
  tracking_number: z.string().nullable().optional(),
  label_url: z.string().nullable().optional(),
  rate: z.union([z.string(), rateSchema]).nullable().optional(),
  metadata: z.string().nullable().optional(),
  messages: z.array(z.object({ text: z.string().optional() }).passthrough()).default([]),
});
type ShippoTransaction = z.infer<typeof transactionSchema>;

const refundSchema = z.object({ object_id: z.string(), status: z.string(), transaction: z.string().optional() });

const transactionListSchema = z.object({ next: z.string().nullable().optional(), results: z.array(transactionSchema) });

const trackingStatusSchema = z.object({
  status: z.string().nullable().optional(),
  substatus: z.object({ code: z.string().nullable().optional() }).nullable().optional(),
  status_details: z.string().nullable().optional(),
  status_date: z.string().nullable().optional(),
  object_id: z.string().nullable().optional(),
  location: z.object({ city: z.string().nullable().optional(), state: z.string().nullable().optional(), country: z.string().nullable().optional() }).nullable().optional(),
});

const trackSchema = z.object({
  carrier: z.string(),
  tracking_number: z.string(),
  eta: z.string().nullable().optional(),
  tracking_status: trackingStatusSchema.nullable().optional(),
  tracking_history: z.array(trackingStatusSchema).default([]),
});
type ShippoTrack = z.infer<typeof trackSchema>;

const webhookSchema = z.object({ event: z.string(), test: z.boolean().optional(), data: z.unknown() });

/** Our status for a Shippo tracking status (PRE_TRANSIT, TRANSIT, DELIVERED, RETURNED, FAILURE, UNKNOWN) and its substatus. */
export function shippoTrackingStatus(status: string | null | undefined, substatus?: string | null): TrackingStatus {
  switch ((status ?? '').toUpperCase()) {
    case 'PRE_TRANSIT':
      return 'pre_transit';
    case 'TRANSIT':
      return substatus === 'out_for_delivery' ? 'out_for_delivery' : 'in_transit';
    case 'DELIVERED':
      return 'delivered';
    case 'RETURNED':
      return 'returned';
    case 'FAILURE':
      return substatus === 'return_to_sender' ? 'returned' : 'exception';
    default:
      return 'unknown';
  }
}

const address = (a: ShippingAddress) => ({
  name: a.name ?? '',
  street1: a.address1,
  street2: a.address2 ?? '',
  city: a.city,
  state: a.state,
  zip: a.zip,
  country: a.country,
  phone: a.phone ?? '',
  email: a.email ?? '',
});

/**
 * Shippo's REST API (`Authorization: ShippoToken <token>`). A transaction carries the idempotency
 * key as its metadata; before buying, the recent transactions are searched for one with that key,
 * so a retry after a timeout or a crash adopts the label bought before instead of buying again.
 */
export class ShippoCarrier implements Carrier {
  readonly account = SHIPPO_ACCOUNT;
  private readonly http: CarrierRequest;
  private readonly clock: () => Date;
  private readonly purchases = new SingleFlight<Label>();

  constructor(private readonly options: ShippoCarrierOptions) {
    this.http = carrierHttp({
      account: this.account,
      baseUrl: options.apiUrl,
      headers: { authorization: `ShippoToken ${options.apiToken}` },
      timeoutMs: options.timeoutMs,
    });
    this.clock = options.clock ?? (() => new Date());
  }

  async rates(request: RateRequest): Promise<Rate[]> {
    const p = request.parcel;
    const shipment = shipmentSchema.parse(
      await this.http('POST', '/shipments/', {
        address_from: address(request.from),
        address_to: address(request.to),
        parcels: [
          {
            length: (p.lengthMm / 10).toFixed(1),
            width: (p.widthMm / 10).toFixed(1),
            height: (p.heightMm / 10).toFixed(1),
            distance_unit: 'cm',
            weight: String(p.weightGrams),
            mass_unit: 'g',
          },
        ],
        metadata: request.reference,
        async: false,
      }),
    );
    return shipment.rates.map((r) => this.rate(r, shipment.object_id));
  }

  async buyLabel(request: BuyLabelRequest): Promise<Label> {
    // Two concurrent calls with one key share the first one's purchase.
    return this.purchases.run(request.idempotencyKey, () => this.buyOnce(request));
  }

  private async buyOnce({ rate, idempotencyKey }: BuyLabelRequest): Promise<Label> {
    // A first request that timed out may have left a purchase Shippo is still working on: that one
    // is awaited and adopted, or a second label would be sold. One that ended in ERROR bought nothing.
    const earlier = await this.transactionByKey(idempotencyKey);
    if (earlier) {
      const settled = await this.settled(earlier);
      if (settled.status === 'SUCCESS') return this.label(settled, rate);
      if (PURCHASE_PENDING.has(settled.status)) {
        throw new CarrierError(this.account, `label purchase ${settled.object_id} is still ${settled.status} at Shippo; try again later`, true);
      }
    }
    const posted = await this.http('POST', '/transactions/', { rate: rate.rateId, label_file_type: 'PDF', metadata: idempotencyKey, async: false });
    const bought = await this.settled(transactionSchema.parse(posted));
    if (bought.status !== 'SUCCESS') {
      const why = bought.messages.map((m) => m.text).filter(Boolean).join('; ') || bought.status;
      throw new CarrierError(this.account, `label not bought: ${why}`, PURCHASE_PENDING.has(bought.status));
    }
    return this.label(bought, rate);
  }

  async voidLabel(label: { labelId: string; trackingNumber: string }): Promise<{ voided: boolean; detail: string }> {
    try {
      const refund = refundSchema.parse(await this.http('POST', '/refunds/', { transaction: label.labelId, async: false }));
      return { voided: refund.status !== 'ERROR', detail: `Shippo refund ${refund.object_id} ${refund.status}` };
    } catch (err) {
      if (!(err instanceof CarrierHttpError) || err.retryable) throw err;
      // Shippo refuses a second refund of a transaction: after a lost answer (or a lost record of
      // it) the refund asked for before is the outcome. Searched among the most recent refunds.
      const list = z.object({ results: z.array(refundSchema) }).parse(await this.http('GET', '/refunds/?results=100'));
      const earlier = list.results.find((r) => r.transaction === label.labelId && r.status !== 'ERROR');
      if (earlier) return { voided: true, detail: `Shippo refund ${earlier.object_id} ${earlier.status} (requested before)` };
      return { voided: false, detail: err.message };
    }
  }

  async track(trackingNumber: string, carrier: string): Promise<TrackingUpdate> {
    const track = trackSchema.parse(
      await this.http('GET', `/tracks/${encodeURIComponent(shippoCarrierToken(carrier))}/${encodeURIComponent(trackingNumber)}`),
    );
    return trackUpdate(track);
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const refusal = shippoWebhookRefusal({
      secret: this.options.webhookSecret,
      token: request.query.token,
      signature: webhookHeader(request, this.options.webhookHeader ?? 'shippo-auth-signature'),
      rawBody: request.rawBody,
      nowMs: this.clock().getTime(),
    });
    if (refusal) return { ok: false, reason: refusal };
    const json = webhookJson(request.rawBody);
    if (json === undefined) return { ok: false, reason: 'the body is not JSON' };
    const body = webhookSchema.safeParse(json);
    if (!body.success) return { ok: false, reason: 'not a Shippo webhook' };
    // Other events (transaction_created, batch_purchased...) are acknowledged and left alone.
    if (body.data.event !== 'track_updated') return { ok: true, updates: [] };
    const track = trackSchema.safeParse(body.data.data);
    if (!track.success) return { ok: false, reason: 'track_updated without a track in data' };
    return { ok: true, updates: [trackUpdate(track.data)] };
  }

  private async transactionByKey(key: string): Promise<ShippoTransaction | undefined> {
    let path: string | null = '/transactions/?results=100';
    for (let page = 0; path && page < (this.options.lookbackPages ?? 5); page++) {
      const list = transactionListSchema.parse(await this.http('GET', path));
      const found = list.results.find((t) => t.metadata === key && PURCHASE_TAKEN.has(t.status));
      if (found) return found;
      path = list.next ? relativePath(list.next) : null;
    }
    return undefined;
  }

  /** The transaction once Shippo has finished with it, or as it stands when the polls run out. */
  private async settled(t: ShippoTransaction): Promise<ShippoTransaction> {
    let current = t;
    const attempts = this.options.purchasePollAttempts ?? 10;
    for (let i = 0; i < attempts && PURCHASE_PENDING.has(current.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, this.options.purchasePollIntervalMs ?? 1_000));
      current = transactionSchema.parse(await this.http('GET', `/transactions/${encodeURIComponent(current.object_id)}`));
    }
    return current;
  }

  private rate(r: ShippoRate, shipmentId: string): Rate {
    const days = r.estimated_days ?? null;
    return {
      rateId: r.object_id,
      account: this.account,
      carrier: r.provider,
      service: r.servicelevel.name ?? r.servicelevel.token ?? 'unknown',
      serviceLevel: carrierServiceLevel(r.servicelevel.token ?? r.servicelevel.name ?? '', days),
      amount: roundMoney(r.amount),
      currency: r.currency,
      transitDays: days,
      carrierShipmentId: r.shipment ?? shipmentId,
    };
  }

  private label(t: ShippoTransaction, rate: Rate): Label {
    if (!t.tracking_number) throw new CarrierError(this.account, `transaction ${t.object_id} has no tracking number`, false);
    const bought = typeof t.rate === 'object' && t.rate ? this.rate(t.rate, '') : rate;
    return {
      account: this.account,
      carrier: bought.carrier,
      service: bought.service,
      trackingNumber: t.tracking_number,
      labelId: t.object_id,
      labelUrl: t.label_url ?? null,
      labelPdf: null,
      amount: bought.amount,
      currency: bought.currency,
    };
  }
}

/** Shippo names carriers by token in its tracking URLs: "DHL Express" is dhl_express, "USPS" usps. */
export function shippoCarrierToken(provider: string): string {
  return provider.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** Shippo's `next` is an absolute URL; the client keeps its own base (a local server in tests). */
function relativePath(next: string): string {
  const url = new URL(next, 'http://x');
  return `${url.pathname.replace(/^.*?(\/transactions)/, '$1')}${url.search}`;
}

function trackUpdate(t: ShippoTrack): TrackingUpdate {
  const history = t.tracking_history.length > 0 ? t.tracking_history : t.tracking_status ? [t.tracking_status] : [];
  const expected = carrierDate(t.eta);
  const events: TrackingEvent[] = history.flatMap((h) => {
    const occurredAt = carrierDate(h.status_date);
    if (!occurredAt) return [];
    const loc = h.location;
    return {
      trackingNumber: t.tracking_number,
      status: shippoTrackingStatus(h.status, h.substatus?.code),
      occurredAt,
      detail: h.status_details ?? h.status ?? '',
      location: [loc?.city, loc?.state, loc?.country].filter(Boolean).join(', '),
      eventKey: `shippo:${t.tracking_number}:${h.object_id ?? createHash('sha256').update(`${h.status_date}|${h.status}|${h.status_details}`).digest('hex').slice(0, 16)}`,
      expectedDeliveryAt: expected,
    };
  });
  return { trackingNumber: t.tracking_number, carrier: t.carrier, events };
}
