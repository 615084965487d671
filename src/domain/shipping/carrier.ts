/** A postal address as carriers take it. */
export interface ShippingAddress {
  name?: string;
  address1: string;
  address2?: string;
  city: string;
  state: string;
  zip: string;
  /** ISO 3166-1 alpha-2, e.g. US. */
  country: string;
  phone?: string;
  email?: string;
}

export interface Parcel {
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}

/** What orderops promises buyers; each carrier maps its own services onto one of these. */
export const SERVICE_LEVELS = ['economy', 'standard', 'expedited', 'overnight'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export interface RateRequest {
  from: ShippingAddress;
  to: ShippingAddress;
  parcel: Parcel;
  /** Our reference for the parcel (the shipment id), echoed to the carrier where it takes one. */
  reference: string;
}

export interface Rate {
  /** The carrier's id for this quote; pass it back to buyLabel. */
  rateId: string;
  /** Which adapter quoted it (sandbox, easypost, shippo). */
  account: string;
  /** The carrier that moves the parcel (USPS, UPS, sandbox...). */
  carrier: string;
  /** The carrier's service name (Priority, Ground...). */
  service: string;
  serviceLevel: ServiceLevel;
  amount: number;
  currency: string;
  /** Business days in transit as the carrier estimates it, null when it gives none. */
  transitDays: number | null;
  /** The carrier's own shipment id the rate belongs to, when it has one (EasyPost, Shippo). */
  carrierShipmentId?: string;
}

export interface BuyLabelRequest {
  rate: Rate;
  request: RateRequest;
  /**
   * The same key always yields the same label: a retry after a timeout or a crash gets the label
   * bought the first time, never a second purchase.
   */
  idempotencyKey: string;
}

export interface Label {
  account: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  /** The carrier's id for the purchase (transaction / shipment id), used to void and track. */
  labelId: string;
  labelUrl: string | null;
  /** The PDF itself when the carrier hands it over rather than a URL. */
  labelPdf: Buffer | null;
  amount: number;
  currency: string;
}

/** Where a parcel is; ordered so a shipment never moves backwards (see TRACKING_STATUS_RANK). */
export const TRACKING_STATUSES = [
  'unknown',
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingEvent {
  trackingNumber: string;
  status: TrackingStatus;
  /** When the carrier says it happened. */
  occurredAt: Date;
  detail: string;
  location: string;
  /** Stable id of this event at the carrier, so a webhook delivered twice is stored once. */
  eventKey: string;
  expectedDeliveryAt?: Date | null;
}

export interface TrackingUpdate {
  trackingNumber: string;
  carrier: string;
  events: TrackingEvent[];
}

/** The raw request a carrier webhook arrived with: headers as Node gives them, the body unparsed. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** The request URL's query string parameters (Shippo's token option puts the secret there). */
  query: Record<string, string | undefined>;
}

export type WebhookResult =
  | { ok: true; updates: TrackingUpdate[] }
  | { ok: false; reason: string };

/**
 * One carrier account. Every adapter passes the contract suite in test/carriers/; the domain
 * only ever talks to this interface.
 */
export interface Carrier {
  /** sandbox, easypost, shippo: the name CARRIERS lists it by. */
  readonly account: string;
  rates(request: RateRequest): Promise<Rate[]>;
  buyLabel(request: BuyLabelRequest): Promise<Label>;
  /** Voids an unused label; true when the carrier accepted the void. */
  voidLabel(label: { labelId: string; trackingNumber: string }): Promise<{ voided: boolean; detail: string }>;
  track(trackingNumber: string, carrier: string): Promise<TrackingUpdate>;
  /** Verifies the webhook's signature (and its age where the carrier signs one), then parses it. */
  parseWebhook(request: WebhookRequest): Promise<WebhookResult>;
}

export class CarrierError extends Error {
  constructor(
    readonly account: string,
    message: string,
    /** True when trying again later may succeed (a timeout, a 5xx, a 429). */
    readonly retryable: boolean,
  ) {
    super(`${account}: ${message}`);
    this.name = 'CarrierError';
  }
}
