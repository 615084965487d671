import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CarrierError,
  TRACKING_STATUSES,
  type BuyLabelRequest,
  type Carrier,
  type Label,
  type Rate,
  type RateRequest,
  type ServiceLevel,
  type ShippingAddress,
  type TrackingEvent,
  type TrackingUpdate,
  type WebhookRequest,
  type WebhookResult,
} from '../../domain/shipping/carrier.js';
import { fromCents } from '../../domain/money.js';
import { countryCode } from '../../domain/routing/country-code.js';
import { greatCircleKm } from '../../domain/routing/great-circle-km.js';
import { postalCoordinates } from '../../domain/routing/postal-coordinates.js';
import { estimatedTransitDays, shippingZone } from '../../domain/shipping/shipping-zone.js';
import { MemorySandboxLabelStore, type SandboxLabelStore, type SandboxPurchase } from './sandbox-label-store.js';
import { shippingLabelPdf } from './shipping-label-pdf.js';
import {
  SANDBOX_SIGNATURE_HEADER,
  SANDBOX_TIMESTAMP_HEADER,
  sandboxWebhookRefusal,
  signSandboxWebhook,
} from './sandbox-webhook-signature.js';
import { SingleFlight } from './single-flight.js';
import { webhookHeader } from './webhook-header.js';
import { webhookJson } from './webhook-json.js';

export const SANDBOX_ACCOUNT = 'sandbox';
const SANDBOX_CARRIER = 'sandbox';
const HOUR_MS = 3_600_000;

interface SandboxService {
  code: string;
  service: string;
  level: ServiceLevel;
  /** Price in cents: base + per zone + per billable pound. */
  baseCents: number;
  perZoneCents: number;
  perPoundCents: number;
}

/** The sandbox's price list: one service per service level. */
export const SANDBOX_SERVICES: readonly SandboxService[] = [
  { code: 'saver', service: 'Sandbox Saver', level: 'economy', baseCents: 450, perZoneCents: 35, perPoundCents: 40 },
  { code: 'ground', service: 'Sandbox Ground', level: 'standard', baseCents: 650, perZoneCents: 55, perPoundCents: 60 },
  { code: '2day', service: 'Sandbox 2Day', level: 'expedited', baseCents: 1150, perZoneCents: 110, perPoundCents: 120 },
  { code: 'overnight', service: 'Sandbox Overnight', level: 'overnight', baseCents: 2850, perZoneCents: 240, perPoundCents: 260 },
];
const INTERNATIONAL_SURCHARGE_CENTS = 1500;

export interface SandboxCarrierOptions {
  /** Now, for purchase times and the tracking timeline; tests move it forward. */
  clock?: () => Date;
  store?: SandboxLabelStore;
  /** Extra hours before delivery, per tracking number (or for every parcel). */
  delayHours?: number | ((trackingNumber: string) => number);
  /** The exception a parcel hits in transit (its detail), or null for none. */
  exceptionFor?: (trackingNumber: string) => string | null | undefined;
  /** Key the sandbox signs (and checks) its tracking webhooks with. */
  webhookSecret?: string;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Magic words on the recipient's address lines, for demos without code: `SANDBOX DELAY 48H`
 * delays delivery by 48 hours, `SANDBOX EXCEPTION` stops the parcel with an exception in
 * transit, `SANDBOX RETURN` sends it back to the sender.
 */
export function sandboxAddressDirectives(to: ShippingAddress): { delayHours: number; exception: string | null; returnToSender: boolean } {
  const text = [to.name, to.address1, to.address2].filter(Boolean).join(' ').toUpperCase();
  const delay = /SANDBOX[\s_-]+DELAY[\s_-]+(\d+)\s*H/.exec(text);
  return {
    delayHours: delay ? Number(delay[1]) : 0,
    exception: /SANDBOX[\s_-]+EXCEPTION/.test(text) ? 'Address information incomplete; carrier attempting to contact recipient' : null,
    returnToSender: /SANDBOX[\s_-]+RETURN/.test(text),
  };
}

const webhookSchema = z.object({
  type: z.literal('tracking.updated'),
  trackingNumber: z.string().min(1),
  carrier: z.string().min(1),
  events: z.array(
    z.object({
      status: z.enum(TRACKING_STATUSES),
      occurredAt: z.string().datetime(),
      detail: z.string(),
      location: z.string(),
      eventKey: z.string().min(1),
      expectedDeliveryAt: z.string().datetime().nullable().optional(),
    }),
  ),
});

/**
 * The embedded default carrier: deterministic rates by zone and billable weight, labels as real
 * PDFs, and a tracking timeline computed from the purchase time and the clock. Everything about a
 * label follows from its idempotency key, so buying again with the key, before or after a
 * restart, returns the same label and never records a second purchase.
 */
export class SandboxCarrier implements Carrier {
  readonly account = SANDBOX_ACCOUNT;
  readonly store: SandboxLabelStore;
  private readonly clock: () => Date;
  private readonly purchases = new SingleFlight<Label>();

  constructor(private readonly options: SandboxCarrierOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.store = options.store ?? new MemorySandboxLabelStore();
  }

  async rates(request: RateRequest): Promise<Rate[]> {
    const zone = this.zone(request);
    const pounds = billablePounds(request);
    const fingerprint = sha(JSON.stringify([request.from.zip, request.from.country, request.to.zip, request.to.country, request.parcel])).slice(0, 12);
    return SANDBOX_SERVICES.map((s) => {
      const cents = s.baseCents + s.perZoneCents * zone + s.perPoundCents * pounds + (zone >= 9 ? INTERNATIONAL_SURCHARGE_CENTS : 0);
      return {
        rateId: `sbx_rate_${s.code}_${fingerprint}`,
        account: this.account,
        carrier: SANDBOX_CARRIER,
        service: s.service,
        serviceLevel: s.level,
        amount: fromCents(cents),
        currency: 'USD',
        transitDays: estimatedTransitDays(zone, s.level),
      };
    });
  }

  async buyLabel(request: BuyLabelRequest): Promise<Label> {
    // Two concurrent calls with one key share the first one's purchase.
    return this.purchases.run(request.idempotencyKey, () => this.buyOnce(request));
  }

  private async buyOnce({ rate, request, idempotencyKey }: BuyLabelRequest): Promise<Label> {
    const existing = await this.store.byKey(idempotencyKey);
    if (existing) return this.label(existing, request.parcel.weightGrams);
    const quoted = (await this.rates(request)).find((r) => r.rateId === rate.rateId);
    if (!quoted) throw new CarrierError(this.account, `rate ${rate.rateId} does not belong to this parcel; quote again`, false);
    const digest = sha(`sandbox-label:${idempotencyKey}`);
    const trackingNumber = sandboxTrackingNumber(idempotencyKey);
    const directives = sandboxAddressDirectives(request.to);
    const delay = this.options.delayHours;
    const purchase: SandboxPurchase = {
      idempotencyKey,
      trackingNumber,
      labelId: `sbx_lbl_${digest.slice(0, 20)}`,
      service: quoted.service,
      serviceLevel: quoted.serviceLevel,
      transitDays: quoted.transitDays ?? 5,
      amountCents: Math.round(quoted.amount * 100),
      currency: quoted.currency,
      purchasedAt: this.clock().toISOString(),
      voidedAt: null,
      from: request.from,
      to: request.to,
      delayHours: directives.delayHours + (typeof delay === 'function' ? delay(trackingNumber) : (delay ?? 0)),
      exception: this.options.exceptionFor?.(trackingNumber) ?? directives.exception,
      returnToSender: directives.returnToSender,
    };
    await this.store.put(purchase);
    return this.label(purchase, request.parcel.weightGrams);
  }

  async voidLabel(label: { labelId: string; trackingNumber: string }): Promise<{ voided: boolean; detail: string }> {
    const purchase = await this.store.byTrackingNumber(label.trackingNumber);
    if (!purchase || purchase.labelId !== label.labelId) return { voided: false, detail: `no sandbox label ${label.labelId}` };
    if (purchase.voidedAt) return { voided: true, detail: `voided at ${purchase.voidedAt}` };
    const pickedUp = timeline(purchase).find((e) => e.status !== 'pre_transit');
    if (pickedUp && pickedUp.occurredAt <= this.clock()) {
      return { voided: false, detail: 'the parcel is already with the carrier; a label in transit cannot be voided' };
    }
    const voidedAt = this.clock().toISOString();
    await this.store.put({ ...purchase, voidedAt });
    return { voided: true, detail: `voided at ${voidedAt}` };
  }

  async track(trackingNumber: string): Promise<TrackingUpdate> {
    const purchase = await this.store.byTrackingNumber(trackingNumber);
    if (!purchase) throw new CarrierError(this.account, `unknown tracking number ${trackingNumber}`, false);
    const now = this.clock();
    return { trackingNumber, carrier: SANDBOX_CARRIER, events: timeline(purchase).filter((e) => e.occurredAt <= now) };
  }

  /**
   * The webhook the sandbox would send now for a parcel (its timeline so far), signed: lets the
   * local flow push events through the same door real carriers use.
   */
  async webhookFor(trackingNumber: string): Promise<{ headers: Record<string, string>; rawBody: Buffer }> {
    if (!this.options.webhookSecret) throw new CarrierError(this.account, 'no webhook secret configured (SANDBOX_CARRIER_WEBHOOK_SECRET)', false);
    const update = await this.track(trackingNumber);
    const rawBody = Buffer.from(
      JSON.stringify({
        type: 'tracking.updated',
        trackingNumber: update.trackingNumber,
        carrier: update.carrier,
        events: update.events.map((e) => ({
          status: e.status,
          occurredAt: e.occurredAt.toISOString(),
          detail: e.detail,
          location: e.location,
          eventKey: e.eventKey,
          expectedDeliveryAt: e.expectedDeliveryAt?.toISOString() ?? null,
        })),
      }),
    );
    return { headers: { 'content-type': 'application/json', ...signSandboxWebhook(this.options.webhookSecret, rawBody, this.clock().getTime()) }, rawBody };
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const refusal = sandboxWebhookRefusal({
      secret: this.options.webhookSecret,
      rawBody: request.rawBody,
      timestamp: webhookHeader(request, SANDBOX_TIMESTAMP_HEADER),
      signature: webhookHeader(request, SANDBOX_SIGNATURE_HEADER),
      nowMs: this.clock().getTime(),
    });
    if (refusal) return { ok: false, reason: refusal };
    const json = webhookJson(request.rawBody);
    if (json === undefined) return { ok: false, reason: 'the body is not JSON' };
    const parsed = webhookSchema.safeParse(json);
    if (!parsed.success) return { ok: false, reason: `not a sandbox tracking webhook: ${parsed.error.issues[0]?.message}` };
    const body = parsed.data;
    return {
      ok: true,
      updates: [
        {
          trackingNumber: body.trackingNumber,
          carrier: body.carrier,
          events: body.events.map((e) => ({
            trackingNumber: body.trackingNumber,
            status: e.status,
            occurredAt: new Date(e.occurredAt),
            detail: e.detail,
            location: e.location,
            eventKey: e.eventKey,
            expectedDeliveryAt: e.expectedDeliveryAt ? new Date(e.expectedDeliveryAt) : null,
          })),
        },
      ],
    };
  }

  private zone(request: RateRequest): number {
    const fromCountry = countryCode(request.from.country);
    const toCountry = countryCode(request.to.country);
    const sameCountry = fromCountry !== null && fromCountry === toCountry;
    const a = postalCoordinates(request.from);
    const b = postalCoordinates(request.to);
    // An address we cannot place is charged as the farthest domestic zone rather than refused.
    if (!a || !b) return sameCountry ? 8 : 9;
    return shippingZone(greatCircleKm(a, b), sameCountry);
  }

  private async label(p: SandboxPurchase, weightGrams: number): Promise<Label> {
    const labelPdf = await shippingLabelPdf({
      carrier: 'Sandbox',
      service: p.service,
      trackingNumber: p.trackingNumber,
      from: p.from,
      to: p.to,
      weightGrams,
      createdAt: new Date(p.purchasedAt),
    });
    return {
      account: this.account,
      carrier: SANDBOX_CARRIER,
      service: p.service,
      trackingNumber: p.trackingNumber,
      labelId: p.labelId,
      labelUrl: null,
      labelPdf,
      amount: fromCents(p.amountCents),
      currency: p.currency,
    };
  }
}

/** The tracking number a sandbox label bought with this idempotency key has, always. */
export function sandboxTrackingNumber(idempotencyKey: string): string {
  const digits = BigInt(`0x${sha(`sandbox-label:${idempotencyKey}`).slice(0, 24)}`).toString().padStart(20, '0').slice(-18);
  return `SBX${digits}`;
}

function billablePounds(request: RateRequest): number {
  const p = request.parcel;
  const actual = p.weightGrams / 453.592;
  // Dimensional weight as US carriers bill it: cubic inches over 139.
  const dimensional = ((p.lengthMm / 25.4) * (p.widthMm / 25.4) * (p.heightMm / 25.4)) / 139;
  return Math.max(1, Math.ceil(Math.max(actual, dimensional)));
}

/**
 * Every event a sandbox parcel goes through, whether or not it has happened yet: label created at
 * purchase, picked up 6 hours later, at the hub halfway, out for delivery 5 hours before delivery
 * at `transitDays` days (plus any delay). An exception or a return ends the timeline halfway.
 * A voided label never moves past label created.
 */
function timeline(p: SandboxPurchase): TrackingEvent[] {
  const t0 = new Date(p.purchasedAt).getTime();
  const deliveredAt = t0 + p.transitDays * 24 * HOUR_MS + p.delayHours * HOUR_MS;
  const expectedDeliveryAt = new Date(deliveredAt);
  const origin = `${p.from.city}, ${p.from.state}`;
  const destination = `${p.to.city}, ${p.to.state}`;
  const event = (status: TrackingEvent['status'], atMs: number, detail: string, location: string, n: number): TrackingEvent => ({
    trackingNumber: p.trackingNumber,
    status,
    occurredAt: new Date(atMs),
    detail,
    location,
    eventKey: `${p.trackingNumber}:${n}:${status}`,
    expectedDeliveryAt,
  });
  const events = [event('pre_transit', t0, 'Shipping label created', origin, 0)];
  if (p.voidedAt) return events;
  const pickup = t0 + 6 * HOUR_MS;
  const hub = Math.max(pickup + HOUR_MS, t0 + (deliveredAt - t0) / 2);
  events.push(event('in_transit', pickup, 'Picked up by the carrier', origin, 1));
  if (p.exception) return [...events, event('exception', hub, p.exception, 'Sandbox hub', 2)];
  if (p.returnToSender) return [...events, event('returned', hub, 'Returned to sender: undeliverable as addressed', 'Sandbox hub', 2)];
  events.push(event('in_transit', hub, p.delayHours > 0 ? `Delayed in transit (${p.delayHours} h)` : 'Arrived at the sort facility', 'Sandbox hub', 2));
  events.push(event('out_for_delivery', Math.max(hub + HOUR_MS, deliveredAt - 5 * HOUR_MS), 'Out for delivery', destination, 3));
  events.push(event('delivered', Math.max(hub + 2 * HOUR_MS, deliveredAt), 'Delivered', destination, 4));
  return events;
}
