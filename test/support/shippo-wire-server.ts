import { createHmac } from 'node:crypto';
import { JsonWireServer, type WireAnswer, type WireCall } from './json-wire-server.js';

interface WireRate {
  object_id: string;
  shipment: string;
  amount: string;
  currency: string;
  provider: string;
  servicelevel: { name: string; token: string };
  estimated_days: number;
}

interface WireTransaction {
  object_id: string;
  object_state: 'VALID';
  status: 'QUEUED' | 'SUCCESS';
  rate: string;
  tracking_number: string | null;
  tracking_status: string;
  label_url: string;
  metadata: string;
  messages: unknown[];
}

interface WireStatus {
  object_id: string;
  status: string;
  substatus: { code: string; text: string; action_required: boolean } | null;
  status_details: string;
  status_date: string;
  location: { city: string; state: string; zip: string; country: string };
}

const SERVICES: [string, string, string, number, number, number][] = [
  // provider, name, token, days, base cents, cents per 100 g
  ['USPS', 'Ground Advantage', 'usps_ground_advantage', 5, 470, 20],
  ['USPS', 'Priority Mail', 'usps_priority', 2, 810, 30],
  ['FedEx', 'FedEx 2Day', 'fedex_2_day', 2, 1590, 45],
  ['UPS', 'Next Day Air', 'ups_next_day_air', 1, 3250, 70],
];

const PAGE_SIZE = 2;

/**
 * Shippo's REST API on 127.0.0.1 as its docs describe it: `ShippoToken` auth, shipments with
 * rates (async=false), transactions (each call buys: Shippo does not deduplicate), refunds,
 * tracks, paginated transaction lists (small pages, so clients must follow `next`). Counts
 * purchases, and signs `track_updated` webhooks with Shippo's HMAC scheme.
 */
export class ShippoWireServer extends JsonWireServer {
  readonly rates = new Map<string, WireRate>();
  readonly transactions: WireTransaction[] = [];
  readonly tracks = new Map<string, { carrier: string; history: WireStatus[] }>();
  readonly refunds: { object_id: string; transaction: string; status: string }[] = [];
  purchases = 0;
  private n = 0;
  private base = '';
  private queued = 0;
  /** How many more reads of a queued transaction answer QUEUED before it succeeds. */
  private readonly queuedReads = new Map<string, number>();

  constructor(private readonly token = 'shippo_test_token') {
    super();
  }

  /**
   * Leaves the next purchase QUEUED (no tracking number yet), as Shippo does while a carrier is
   * slow: it succeeds after `reads` reads of GET /transactions/:id.
   */
  leaveNextQueued(reads = 2): void {
    this.queued = reads;
  }

  override async start(): Promise<string> {
    this.base = await super.start();
    return this.base;
  }

  protected route(call: WireCall): WireAnswer {
    if (call.headers.authorization !== `ShippoToken ${this.token}`) return { status: 401, body: { detail: 'Invalid token.' } };
    const path = call.path.replace(/\/+$/, '');
    if (call.method === 'POST' && path === '/shipments') return this.shipment(call.body);
    if (call.method === 'POST' && path === '/transactions') return this.buy(call.body);
    if (call.method === 'GET' && path === '/transactions') {
      const page = Number(call.query.get('page') ?? '1');
      const newestFirst = [...this.transactions].reverse();
      const results = newestFirst.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((t) => this.view(t));
      const next = page * PAGE_SIZE < newestFirst.length ? `${this.base}/transactions/?page=${page + 1}&results=${PAGE_SIZE}` : null;
      return { status: 200, body: { next, previous: null, results } };
    }
    const one = path.match(/^\/transactions\/([^/]+)$/);
    if (call.method === 'GET' && one) {
      const t = this.transactions.find((x) => x.object_id === decodeURIComponent(one[1]!));
      if (!t) return { status: 404, body: { detail: 'Not found.' } };
      const view = this.view(t);
      const left = this.queuedReads.get(t.object_id) ?? 0;
      if (left <= 1) this.queuedReads.delete(t.object_id);
      else this.queuedReads.set(t.object_id, left - 1);
      return { status: 200, body: view };
    }
    if (call.method === 'POST' && path === '/refunds') {
      const t = this.transactions.find((x) => x.object_id === call.body?.transaction);
      if (!t) return { status: 400, body: { transaction: ['Transaction not found.'] } };
      if (this.refunds.some((r) => r.transaction === t.object_id)) return { status: 400, body: { transaction: ['Refund already exists for this transaction.'] } };
      const refund = { object_id: `ref_${++this.n}`, transaction: t.object_id, status: 'QUEUED' };
      this.refunds.push(refund);
      return { status: 201, body: refund };
    }
    if (call.method === 'GET' && path === '/refunds') return { status: 200, body: { next: null, previous: null, results: [...this.refunds].reverse() } };
    const track = path.match(/^\/tracks\/([^/]+)\/([^/]+)$/);
    if (call.method === 'GET' && track) {
      const t = this.tracks.get(decodeURIComponent(track[2]!));
      if (!t) return { status: 404, body: { detail: 'Not found.' } };
      return { status: 200, body: this.trackJson(decodeURIComponent(track[2]!), t) };
    }
    return { status: 404, body: { detail: `no route ${call.method} ${call.path}` } };
  }

  /** A `track_updated` webhook as Shippo would POST it, moving the parcel to `status`, with its HMAC header. */
  webhook(secret: string, trackingNumber: string, status: string, options: { at?: Date; substatus?: string; header?: string } = {}): { headers: Record<string, string>; rawBody: Buffer } {
    const t = this.tracks.get(trackingNumber) ?? this.addTrack(trackingNumber, 'usps');
    const at = options.at ?? new Date();
    t.history.push(this.status(status, `${status} update`, at, options.substatus));
    const rawBody = Buffer.from(JSON.stringify({ event: 'track_updated', test: true, data: this.trackJson(trackingNumber, t) }));
    const ts = String(Math.floor(at.getTime() / 1000));
    const v1 = createHmac('sha256', secret).update(`${ts}.${rawBody.toString('utf8')}`).digest('hex');
    return { headers: { 'content-type': 'application/json', [options.header ?? 'shippo-auth-signature']: `t=${ts},v1=${v1}` }, rawBody };
  }

  private shipment(body: any): WireAnswer {
    if (!body?.address_from || !body?.address_to || !Array.isArray(body?.parcels) || body.parcels.length === 0) {
      return { status: 400, body: { address_from: ['This field is required.'] } };
    }
    const id = `shp_${++this.n}`;
    const grams = Number(body.parcels[0].weight) * (body.parcels[0].mass_unit === 'oz' ? 28.35 : body.parcels[0].mass_unit === 'lb' ? 453.6 : body.parcels[0].mass_unit === 'kg' ? 1000 : 1);
    const rates = SERVICES.map(([provider, name, token, days, base, per100g]) => {
      const rate: WireRate = {
        object_id: `rate_${++this.n}`,
        shipment: id,
        amount: ((base + per100g * Math.ceil(grams / 100)) / 100).toFixed(2),
        currency: 'USD',
        provider,
        servicelevel: { name, token },
        estimated_days: days,
      };
      this.rates.set(rate.object_id, rate);
      return rate;
    });
    return { status: 201, body: { object_id: id, status: 'SUCCESS', address_from: body.address_from, address_to: body.address_to, rates, messages: [], metadata: body.metadata ?? '' } };
  }

  private buy(body: any): WireAnswer {
    const rate = this.rates.get(String(body?.rate ?? ''));
    if (!rate) return { status: 400, body: { rate: ['Rate not found.'] } };
    this.purchases++;
    const trackingNumber = `9205${String(this.purchases).padStart(18, '0')}`;
    const t: WireTransaction = {
      object_id: `txn_${++this.n}`,
      object_state: 'VALID',
      status: 'SUCCESS',
      rate: rate.object_id,
      tracking_number: trackingNumber,
      tracking_status: 'PRE_TRANSIT',
      label_url: `https://shippo-delivery.example/${trackingNumber}.pdf`,
      metadata: String(body?.metadata ?? ''),
      messages: [],
    };
    this.transactions.push(t);
    this.addTrack(trackingNumber, rate.provider.toLowerCase()).history.push(this.status('PRE_TRANSIT', 'Label created', new Date()));
    if (this.queued > 0) {
      this.queuedReads.set(t.object_id, this.queued);
      this.queued = 0;
      return { status: 201, body: this.view(t) };
    }
    return { status: 201, body: t };
  }

  /** The transaction as a read sees it now: QUEUED, without its label, while it has queued reads left. */
  private view(t: WireTransaction): WireTransaction {
    return this.queuedReads.has(t.object_id) ? { ...t, status: 'QUEUED', tracking_number: null, label_url: '' } : t;
  }

  private addTrack(trackingNumber: string, carrier: string) {
    const t = { carrier, history: [] as WireStatus[] };
    this.tracks.set(trackingNumber, t);
    return t;
  }

  private status(status: string, details: string, at: Date, substatus?: string): WireStatus {
    return {
      object_id: `ts_${++this.n}`,
      status,
      substatus: substatus ? { code: substatus, text: substatus.replaceAll('_', ' '), action_required: false } : null,
      status_details: details,
      status_date: at.toISOString(),
      location: { city: 'San Francisco', state: 'CA', zip: '94103', country: 'US' },
    };
  }

  private trackJson(trackingNumber: string, t: { carrier: string; history: WireStatus[] }) {
    return {
      carrier: t.carrier,
      tracking_number: trackingNumber,
      eta: null,
      servicelevel: { name: null, token: null },
      tracking_status: t.history.at(-1) ?? null,
      tracking_history: t.history,
      metadata: null,
    };
  }
}
