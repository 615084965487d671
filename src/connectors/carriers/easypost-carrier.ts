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
import { EASYPOST_SIGNATURE_HEADER, easyPostSignatureRefusal } from './easypost-webhook-signature.js';
import { SingleFlight } from './single-flight.js';
import { webhookHeader } from './webhook-header.js';
import { webhookJson } from './webhook-json.js';

export const EASYPOST_ACCOUNT = 'easypost';

/** Refund statuses that mean the label will not be charged. */
const REFUNDED = new Set(['submitted', 'refunded']);

export interface EasyPostCarrierOptions {
  apiKey: string;
  /** https://api.easypost.com/v2, or a local server in tests. */
  apiUrl: string;
  webhookSecret?: string;
  timeoutMs?: number;
  clock?: () => Date;
  /**
   * EasyPost signs no timestamp, so the age checked is the signed event's `created_at`: older
   * events are refused as replays. Long enough to cover EasyPost's retries of a failed delivery.
   */
  webhookMaxAgeHours?: number;
}

const EASYPOST_STATUS: Record<string, TrackingStatus> = {
  pre_transit: 'pre_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  // Waiting at a pickup point is the last step before the customer has it, like a van out for delivery.
  available_for_pickup: 'out_for_delivery',
  delivered: 'delivered',
  return_to_sender: 'returned',
  failure: 'exception',
  error: 'exception',
  cancelled: 'exception',
  unknown: 'unknown',
};

/** Our status for an EasyPost tracker status. */
export function easyPostTrackingStatus(status: string | null | undefined): TrackingStatus {
  return EASYPOST_STATUS[status ?? 'unknown'] ?? 'unknown';
}

const rateSchema = z.object({
  id: z.string(),
  carrier: z.string(),
  service: z.string(),
  rate: z.union([z.string(), z.number()]),
  currency: z.string().default('USD'),
  delivery_days: z.number().nullable().optional(),
  est_delivery_days: z.number().nullable().optional(),
  shipment_id: z.string().optional(),
});

const shipmentSchema = z.object({
  id: z.string(),
  reference: z.string().nullable().optional(),
  rates: z.array(rateSchema).default([]),
  selected_rate: rateSchema.nullable().optional(),
  tracking_code: z.string().nullable().optional(),
  postage_label: z.object({ label_url: z.string().nullable().optional(), label_pdf_url: z.string().nullable().optional() }).nullable().optional(),
  refund_status: z.string().nullable().optional(),
  messages: z.array(z.object({ carrier: z.string().optional(), message: z.string() }).passthrough()).default([]),
});
type EasyPostShipment = z.infer<typeof shipmentSchema>;

const trackerSchema = z.object({
  id: z.string(),
  tracking_code: z.string(),
  carrier: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  est_delivery_date: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  tracking_details: z
    .array(
      z.object({
        status: z.string().nullable().optional(),
        message: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        datetime: z.string(),
        tracking_location: z
          .object({ city: z.string().nullable().optional(), state: z.string().nullable().optional(), country: z.string().nullable().optional() })
          .nullable()
          .optional(),
      }),
    )
    .default([]),
});
type EasyPostTracker = z.infer<typeof trackerSchema>;

const eventSchema = z.object({
  id: z.string(),
  object: z.literal('Event'),
  description: z.string(),
  created_at: z.string().optional(),
  result: z.unknown(),
});

const ounces = (grams: number) => Math.max(0.1, Math.round((grams / 28.349523125) * 10) / 10);
const inches = (mm: number) => Math.max(0.1, Math.round((mm / 25.4) * 10) / 10);

const address = (a: ShippingAddress) => ({
  name: a.name,
  street1: a.address1,
  street2: a.address2,
  city: a.city,
  state: a.state,
  zip: a.zip,
  country: a.country,
  phone: a.phone,
  email: a.email,
});

/**
 * EasyPost's REST API (HTTP Basic with the API key). A label is bought on an EasyPost shipment
 * whose `reference` is the idempotency key: EasyPost accepts a reference wherever it takes a
 * shipment id, so after a timeout or a crash the next attempt finds that shipment, and adopts its
 * label if it was bought, instead of buying another.
 */
export class EasyPostCarrier implements Carrier {
  readonly account = EASYPOST_ACCOUNT;
  private readonly http: CarrierRequest;
  private readonly clock: () => Date;
  private readonly purchases = new SingleFlight<Label>();

  constructor(private readonly options: EasyPostCarrierOptions) {
    this.http = carrierHttp({
      account: this.account,
      baseUrl: options.apiUrl,
      headers: { authorization: `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}` },
      timeoutMs: options.timeoutMs,
    });
    this.clock = options.clock ?? (() => new Date());
  }

  async rates(request: RateRequest): Promise<Rate[]> {
    const shipment = await this.createShipment(request, request.reference);
    return shipment.rates.map((r) => this.rate(r, shipment.id));
  }

  async buyLabel(request: BuyLabelRequest): Promise<Label> {
    // Two concurrent calls with one key share the first one's purchase.
    return this.purchases.run(request.idempotencyKey, () => this.buyOnce(request));
  }

  private async buyOnce({ rate, request, idempotencyKey }: BuyLabelRequest): Promise<Label> {
    let shipment = await this.shipmentByReference(idempotencyKey);
    if (shipment?.tracking_code && shipment.postage_label) return this.label(shipment);
    shipment ??= await this.createShipment(request, idempotencyKey);
    const chosen = shipment.rates.find((r) => r.carrier === rate.carrier && r.service === rate.service);
    if (!chosen) {
      throw new CarrierError(this.account, `${rate.carrier} ${rate.service} is no longer offered for this parcel; quote again`, false);
    }
    try {
      const bought = shipmentSchema.parse(await this.http('POST', `/shipments/${encodeURIComponent(shipment.id)}/buy`, { rate: { id: chosen.id } }));
      return this.label(bought);
    } catch (err) {
      // A buy that reached EasyPost but whose answer was lost: the shipment already has postage.
      if (err instanceof CarrierHttpError && isPostageExists(err.body)) {
        const existing = shipmentSchema.parse(await this.http('GET', `/shipments/${encodeURIComponent(shipment.id)}`));
        if (existing.tracking_code) return this.label(existing);
      }
      throw err;
    }
  }

  async voidLabel(label: { labelId: string; trackingNumber: string }): Promise<{ voided: boolean; detail: string }> {
    try {
      const shipment = shipmentSchema.parse(await this.http('POST', `/shipments/${encodeURIComponent(label.labelId)}/refund`, {}));
      const status = shipment.refund_status ?? 'unknown';
      return { voided: REFUNDED.has(status), detail: `EasyPost refund ${status}` };
    } catch (err) {
      if (!(err instanceof CarrierHttpError) || err.retryable) throw err;
      // A retry after a refund whose answer (or our record of it) was lost is refused: the
      // shipment says whether it is refunded already, which is the outcome asked for.
      const current = shipmentSchema.parse(await this.http('GET', `/shipments/${encodeURIComponent(label.labelId)}`));
      if (REFUNDED.has(current.refund_status ?? '')) return { voided: true, detail: `EasyPost refund ${current.refund_status} (requested before)` };
      return { voided: false, detail: err.message };
    }
  }

  async track(trackingNumber: string, carrier: string): Promise<TrackingUpdate> {
    // EasyPost returns the existing tracker when one exists for this code and carrier.
    const tracker = trackerSchema.parse(
      await this.http('POST', '/trackers', { tracker: { tracking_code: trackingNumber, carrier } }),
    );
    return trackerUpdate(tracker);
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const refusal = easyPostSignatureRefusal(this.options.webhookSecret, request.rawBody, webhookHeader(request, EASYPOST_SIGNATURE_HEADER));
    if (refusal) return { ok: false, reason: refusal };
    const json = webhookJson(request.rawBody);
    if (json === undefined) return { ok: false, reason: 'the body is not JSON' };
    const event = eventSchema.safeParse(json);
    if (!event.success) return { ok: false, reason: 'not an EasyPost event' };
    const createdAt = event.data.created_at ? Date.parse(event.data.created_at) : NaN;
    const maxAgeMs = (this.options.webhookMaxAgeHours ?? 72) * 3_600_000;
    if (!Number.isFinite(createdAt)) return { ok: false, reason: 'the event has no created_at to check its age by' };
    if (this.clock().getTime() - createdAt > maxAgeMs) return { ok: false, reason: `event ${event.data.id} is older than ${maxAgeMs / 3_600_000} hours (stale or replayed)` };
    // Other event kinds (batches, refunds, reports) are acknowledged and left alone.
    if (!event.data.description.startsWith('tracker.')) return { ok: true, updates: [] };
    const tracker = trackerSchema.safeParse(event.data.result);
    if (!tracker.success) return { ok: false, reason: `event ${event.data.id} does not hold a tracker` };
    return { ok: true, updates: [trackerUpdate(tracker.data)] };
  }

  private async createShipment(request: RateRequest, reference: string): Promise<EasyPostShipment> {
    const p = request.parcel;
    return shipmentSchema.parse(
      await this.http('POST', '/shipments', {
        shipment: {
          reference,
          to_address: address(request.to),
          from_address: address(request.from),
          parcel: { weight: ounces(p.weightGrams), length: inches(p.lengthMm), width: inches(p.widthMm), height: inches(p.heightMm) },
        },
      }),
    );
  }

  private async shipmentByReference(reference: string): Promise<EasyPostShipment | undefined> {
    try {
      return shipmentSchema.parse(await this.http('GET', `/shipments/${encodeURIComponent(reference)}`));
    } catch (err) {
      if (err instanceof CarrierHttpError && err.status === 404) return undefined;
      throw err;
    }
  }

  private rate(r: z.infer<typeof rateSchema>, shipmentId: string): Rate {
    const days = r.delivery_days ?? r.est_delivery_days ?? null;
    return {
      rateId: r.id,
      account: this.account,
      carrier: r.carrier,
      service: r.service,
      serviceLevel: carrierServiceLevel(r.service, days),
      amount: roundMoney(r.rate),
      currency: r.currency,
      transitDays: days,
      carrierShipmentId: r.shipment_id ?? shipmentId,
    };
  }

  private label(s: EasyPostShipment): Label {
    const rate = s.selected_rate;
    if (!s.tracking_code || !rate) throw new CarrierError(this.account, `shipment ${s.id} has no label`, false);
    return {
      account: this.account,
      carrier: rate.carrier,
      service: rate.service,
      trackingNumber: s.tracking_code,
      labelId: s.id,
      labelUrl: s.postage_label?.label_pdf_url ?? s.postage_label?.label_url ?? null,
      labelPdf: null,
      amount: roundMoney(rate.rate),
      currency: rate.currency,
    };
  }
}

function isPostageExists(body: unknown): boolean {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' && code.includes('POSTAGE.EXISTS');
}

function trackerUpdate(t: EasyPostTracker): TrackingUpdate {
  const carrier = t.carrier ?? 'unknown';
  const expected = carrierDate(t.est_delivery_date);
  const events: TrackingEvent[] = t.tracking_details.flatMap((d) => {
    const loc = d.tracking_location;
    const status = easyPostTrackingStatus(d.status);
    const occurredAt = carrierDate(d.datetime);
    if (!occurredAt) return [];
    return {
      trackingNumber: t.tracking_code,
      status,
      occurredAt,
      detail: d.message ?? d.description ?? d.status ?? '',
      location: [loc?.city, loc?.state, loc?.country].filter(Boolean).join(', '),
      eventKey: `easypost:${t.tracking_code}:${createHash('sha256').update(`${d.datetime}|${d.status}|${d.message}`).digest('hex').slice(0, 16)}`,
      expectedDeliveryAt: expected,
    };
  });
  // A tracker can carry a status before any detail (a carrier that reports only its summary).
  const updatedAt = carrierDate(t.updated_at);
  if (events.length === 0 && t.status && updatedAt && easyPostTrackingStatus(t.status) !== 'unknown') {
    events.push({
      trackingNumber: t.tracking_code,
      status: easyPostTrackingStatus(t.status),
      occurredAt: updatedAt,
      detail: t.status,
      location: '',
      eventKey: `easypost:${t.tracking_code}:${t.id}:${t.status}`,
      expectedDeliveryAt: expected,
    });
  }
  return { trackingNumber: t.tracking_code, carrier, events };
}
