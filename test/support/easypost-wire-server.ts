import { createHmac } from 'node:crypto';
import { JsonWireServer, type WireAnswer, type WireCall } from './json-wire-server.js';

interface WireRate {
  id: string;
  object: 'Rate';
  carrier: string;
  service: string;
  rate: string;
  currency: string;
  delivery_days: number;
  shipment_id: string;
}

interface WireShipment {
  id: string;
  object: 'Shipment';
  reference: string | null;
  rates: WireRate[];
  selected_rate: WireRate | null;
  tracking_code: string | null;
  postage_label: { object: 'PostageLabel'; label_url: string; label_file_type: string } | null;
  refund_status: string | null;
  messages: unknown[];
  created_at: string;
}

const SERVICES: [string, string, number, number, number][] = [
  // carrier, service, days, base cents, cents per ounce
  ['USPS', 'GroundAdvantage', 5, 480, 6],
  ['USPS', 'Priority', 2, 790, 9],
  ['UPS', '2ndDayAir', 2, 1650, 14],
  ['UPS', 'NextDayAir', 1, 3190, 22],
];

/**
 * EasyPost's v2 REST API on 127.0.0.1 as its docs describe it: HTTP Basic with the API key,
 * shipments with rates, buy (once: a second buy is SHIPMENT.POSTAGE.EXISTS), refund, trackers,
 * a shipment's reference usable in place of its id. Counts purchases, and signs webhooks the way
 * EasyPost does.
 */
export class EasyPostWireServer extends JsonWireServer {
  protected override readonly prefix = '/v2';
  readonly shipments: WireShipment[] = [];
  readonly trackers = new Map<string, { id: string; status: string; carrier: string; details: { status: string; message: string; datetime: string }[] }>();
  purchases = 0;
  /** Added to every rate quoted from now on, as when a carrier changes its prices. */
  surchargeCents = 0;
  private n = 0;

  constructor(private readonly apiKey = 'EZTKtest') {
    super();
  }

  protected route(call: WireCall): WireAnswer {
    const auth = call.headers.authorization ?? '';
    if (auth !== `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`) {
      return err(401, 'APIKEY.INACTIVE', 'This api key is no longer active or was not sent.');
    }
    const m = call.path.match(/^\/shipments\/([^/]+)(?:\/(buy|refund))?$/);
    if (call.method === 'POST' && call.path === '/shipments') return this.create(call.body?.shipment);
    if (m) {
      const s = this.find(decodeURIComponent(m[1]!));
      if (!s) return err(404, 'NOT_FOUND', 'The requested resource could not be found.');
      if (call.method === 'GET' && !m[2]) return { status: 200, body: s };
      if (call.method === 'POST' && m[2] === 'buy') return this.buy(s, call.body?.rate?.id);
      if (call.method === 'POST' && m[2] === 'refund') {
        if (!s.tracking_code) return err(422, 'SHIPMENT.REFUND.UNAVAILABLE', 'The shipment has no postage to refund.');
        if (s.refund_status) return err(422, 'SHIPMENT.REFUND.UNAVAILABLE', 'A refund was already requested for this shipment.');
        s.refund_status = 'submitted';
        return { status: 200, body: s };
      }
    }
    if (call.method === 'POST' && call.path === '/trackers') {
      const code = String(call.body?.tracker?.tracking_code ?? '');
      const t = this.trackers.get(code) ?? this.addTracker(code, String(call.body?.tracker?.carrier ?? 'USPS'));
      return { status: 200, body: this.trackerJson(code, t) };
    }
    return err(404, 'NOT_FOUND', `no route ${call.method} ${call.path}`);
  }

  /** A signed `tracker.updated` event as EasyPost would POST it, moving the tracker to `status`. */
  webhook(secret: string, trackingCode: string, status: string, options: { createdAt?: Date; message?: string } = {}): { headers: Record<string, string>; rawBody: Buffer } {
    const t = this.trackers.get(trackingCode) ?? this.addTracker(trackingCode, 'USPS');
    const at = (options.createdAt ?? new Date()).toISOString();
    t.status = status;
    t.details.push({ status, message: options.message ?? status.replaceAll('_', ' '), datetime: at });
    const event = {
      object: 'Event',
      id: `evt_${++this.n}`,
      mode: 'test',
      description: 'tracker.updated',
      created_at: at,
      updated_at: at,
      result: this.trackerJson(trackingCode, t),
      pending_urls: [],
      completed_urls: [],
    };
    const rawBody = Buffer.from(JSON.stringify(event));
    const hex = createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8')).update(rawBody).digest('hex');
    return { headers: { 'content-type': 'application/json', 'x-hmac-signature': `hmac-sha256-hex=${hex}` }, rawBody };
  }

  private create(input: any): WireAnswer {
    if (!input?.to_address || !input?.from_address || !input?.parcel?.weight) {
      return err(422, 'PARAMETER.REQUIRED', 'Missing required parameter: to_address, from_address or parcel.weight');
    }
    const id = `shp_${String(++this.n).padStart(6, '0')}`;
    const ounces = Number(input.parcel.weight);
    const rates = SERVICES.map(([carrier, service, days, base, perOz], i) => ({
      id: `rate_${id}_${i}`,
      object: 'Rate' as const,
      carrier,
      service,
      rate: ((base + perOz * Math.ceil(ounces) + this.surchargeCents) / 100).toFixed(2),
      currency: 'USD',
      delivery_days: days,
      shipment_id: id,
    }));
    const shipment: WireShipment = {
      id,
      object: 'Shipment',
      reference: input.reference ?? null,
      rates,
      selected_rate: null,
      tracking_code: null,
      postage_label: null,
      refund_status: null,
      messages: [],
      created_at: new Date().toISOString(),
    };
    this.shipments.push(shipment);
    return { status: 201, body: shipment };
  }

  private find(idOrReference: string): WireShipment | undefined {
    return this.shipments.find((s) => s.id === idOrReference) ?? [...this.shipments].reverse().find((s) => s.reference === idOrReference);
  }

  private buy(s: WireShipment, rateId: string | undefined): WireAnswer {
    if (s.tracking_code) return err(422, 'SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.');
    const rate = s.rates.find((r) => r.id === rateId);
    if (!rate) return err(422, 'SHIPMENT.RATE.INVALID', 'The rate does not belong to this shipment.');
    this.purchases++;
    s.selected_rate = rate;
    s.tracking_code = `9400${String(this.purchases).padStart(18, '0')}`;
    s.postage_label = { object: 'PostageLabel', label_url: `https://easypost-files.example/${s.id}.pdf`, label_file_type: 'application/pdf' };
    const t = this.addTracker(s.tracking_code, rate.carrier);
    t.details.push({ status: 'pre_transit', message: 'Pre-Shipment information sent to carrier', datetime: new Date().toISOString() });
    t.status = 'pre_transit';
    return { status: 200, body: s };
  }

  private addTracker(code: string, carrier: string) {
    const t = { id: `trk_${++this.n}`, status: 'unknown', carrier, details: [] as { status: string; message: string; datetime: string }[] };
    this.trackers.set(code, t);
    return t;
  }

  private trackerJson(code: string, t: { id: string; status: string; carrier: string; details: { status: string; message: string; datetime: string }[] }) {
    return {
      object: 'Tracker',
      id: t.id,
      tracking_code: code,
      status: t.status,
      carrier: t.carrier,
      est_delivery_date: null,
      tracking_details: t.details.map((d) => ({ object: 'TrackingDetail', ...d, source: t.carrier, tracking_location: { object: 'TrackingLocation', city: 'NEWARK', state: 'NJ', country: 'US', zip: null } })),
    };
  }
}

function err(status: number, code: string, message: string): WireAnswer {
  return { status, body: { error: { code, message, errors: [] } } };
}
