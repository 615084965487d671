import type { EasyPostWireServer } from '../support/easypost-wire-server.js';

/** One HTTP answer the load got (or did not get: status 0 is a network error or a hang). */
export interface Answer {
  kind: 'order' | 'carrier-event' | 'mail';
  api: string;
  sentAt: number;
  ms: number;
  status: number;
  retryAfter: string | null;
  code: string | null;
}

/** A request that is sent again, as its client would, until it is accepted. */
interface Pending {
  kind: Answer['kind'];
  key: string;
  send: (api: string) => Promise<Response>;
}

const HANG_MS = 10_000;
const ADDRESS = { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' };

/**
 * The steady stream: orders over POST /api/orders (each with an Idempotency-Key), signed EasyPost
 * tracking webhooks for the labels bought so far, and inbound mail, spread over both APIs. What is
 * not accepted is sent again later with the same key, as a storefront, a carrier or a mail
 * provider retries; `accepted` holds what the service took.
 */
export class FaultLoad {
  readonly answers: Answer[] = [];
  readonly accepted = { orders: new Set<string>(), events: new Set<string>(), mails: new Set<string>() };
  private readonly retries: Pending[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private n = 0;
  private readonly trackingSteps = new Map<string, number>();

  constructor(
    private readonly apis: string[],
    private readonly options: { skus: string[]; scarceSku: string; easypost: EasyPostWireServer; easypostSecret: string; inboundSecret: string },
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Sends every request not yet accepted again until each is, or `timeoutMs` passes; how many are left. */
  async retryAll(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.retries.length > 0 && Date.now() < deadline) {
      const batch = this.retries.splice(0);
      await Promise.all(batch.map((p) => this.send(p)));
      if (this.retries.length > 0) await sleep(1_000);
    }
    return this.retries.length;
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (this.running) {
      const i = this.n++;
      const track = (p: Promise<void>) => {
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      };
      track(this.send(this.order(i)));
      if (i % 3 === 0) {
        const event = this.carrierEvent();
        if (event) track(this.send(event));
      }
      if (i % 5 === 0) track(this.send(this.mail(i)));
      // Earlier answers first (a retry waits for calm), but never more than a few dozen at once.
      if (i % 20 === 0 && this.retries.length > 0) for (const p of this.retries.splice(0, 5)) track(this.send(p));
      while (inFlight.size > 40) await Promise.race(inFlight);
      await sleep(200);
    }
    await Promise.all(inFlight);
  }

  private order(i: number): Pending {
    const externalId = `flt-${i}`;
    const sku = i % 10 === 7 ? this.options.scarceSku : this.options.skus[i % this.options.skus.length]!;
    const body = JSON.stringify({
      channel: 'shopify',
      external_id: externalId,
      customer: { email: `buyer-${i}@customers.example`, first_name: 'Fault', last_name: `Buyer ${i}` },
      shipping_address: ADDRESS,
      lines: [{ sku, quantity: 1 + (i % 2) }],
      payment: { method: 'card' },
    });
    return {
      kind: 'order',
      key: externalId,
      send: (api) =>
        fetch(`${api}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `order-${externalId}` },
          body,
          signal: AbortSignal.timeout(HANG_MS),
        }),
    };
  }

  /** The next tracking step (in transit, out for delivery, delivered) of a parcel with a label. */
  private carrierEvent(): Pending | null {
    const steps = ['in_transit', 'out_for_delivery', 'delivered'];
    const labelled = this.options.easypost.shipments.filter((s) => s.tracking_code && (this.trackingSteps.get(s.tracking_code) ?? 0) < steps.length);
    const shipment = labelled[0];
    if (!shipment) return null;
    const code = shipment.tracking_code!;
    const step = this.trackingSteps.get(code) ?? 0;
    this.trackingSteps.set(code, step + 1);
    // Signed once: a carrier retries the very same event, not a new one.
    const { headers, rawBody } = this.options.easypost.webhook(this.options.easypostSecret, code, steps[step]!);
    return {
      kind: 'carrier-event',
      key: `${code}:${steps[step]}`,
      send: (api) => fetch(`${api}/webhooks/carriers/easypost`, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(HANG_MS) }),
    };
  }

  private mail(i: number): Pending {
    const messageId = `<fault-mail-${i}@customers.example>`;
    const body = JSON.stringify({
      From: `writer-${i}@customers.example`,
      FromFull: { Email: `writer-${i}@customers.example`, Name: `Writer ${i}` },
      To: 'support@orderops.local',
      ToFull: [{ Email: 'support@orderops.local', Name: '' }],
      Subject: `Question ${i} about my order`,
      MessageID: messageId,
      Date: new Date().toUTCString(),
      TextBody: 'Hello, when will my order arrive? Thanks.',
      Headers: [{ Name: 'Message-ID', Value: messageId }],
    });
    return {
      kind: 'mail',
      key: messageId,
      send: (api) =>
        fetch(`${api}/webhooks/email/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-email-inbound-secret': this.options.inboundSecret },
          body,
          signal: AbortSignal.timeout(HANG_MS),
        }),
    };
  }

  private async send(p: Pending): Promise<void> {
    const api = this.apis[this.n % this.apis.length]!;
    const sentAt = Date.now();
    let status = 0;
    let retryAfter: string | null = null;
    let code: string | null = null;
    try {
      const res = await p.send(api);
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      const body = (await res.json().catch(() => null)) as { code?: string } | null;
      code = body?.code ?? null;
    } catch (err) {
      code = (err as Error).name;
    }
    this.answers.push({ kind: p.kind, api, sentAt, ms: Date.now() - sentAt, status, retryAfter, code });
    if (status >= 200 && status < 300) {
      const set = p.kind === 'order' ? this.accepted.orders : p.kind === 'mail' ? this.accepted.mails : this.accepted.events;
      set.add(p.key);
    } else if (status === 0 || status >= 500) {
      this.retries.push(p);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
