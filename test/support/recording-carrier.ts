import type { BuyLabelRequest, Carrier, Label, Rate, RateRequest, TrackingUpdate, WebhookResult } from '../../src/domain/shipping/carrier.js';

/**
 * A carrier account that keeps its labels by idempotency key, as real carriers do, and counts
 * every purchase it actually makes, so tests can prove a label is bought once. Its rates are
 * fixed per service level.
 */
export class RecordingCarrier implements Carrier {
  readonly purchases: BuyLabelRequest[] = [];
  readonly voids: string[] = [];
  private readonly labels = new Map<string, Label>();
  /** Updates track() returns, by tracking number. */
  readonly timelines = new Map<string, TrackingUpdate>();

  constructor(readonly account = 'recording') {}

  async rates(request: RateRequest): Promise<Rate[]> {
    const base = Math.max(1, Math.ceil(request.parcel.weightGrams / 500));
    return [
      this.rate('Ground', 'standard', 5 + base, 4, request),
      this.rate('Express', 'expedited', 12 + base, 2, request),
      this.rate('Saver', 'economy', 4 + base, 7, request),
      this.rate('Overnight', 'overnight', 30 + base, 1, request),
    ];
  }

  private rate(service: string, level: Rate['serviceLevel'], amount: number, days: number, request: RateRequest): Rate {
    return { rateId: `${this.account}-${service}-${request.reference}`, account: this.account, carrier: 'TESTPOST', service, serviceLevel: level, amount, currency: 'USD', transitDays: days };
  }

  async buyLabel(request: BuyLabelRequest): Promise<Label> {
    const known = this.labels.get(request.idempotencyKey);
    if (known) return known;
    this.purchases.push(request);
    const n = this.purchases.length;
    const label: Label = {
      account: this.account,
      carrier: request.rate.carrier,
      service: request.rate.service,
      trackingNumber: `TP${String(n).padStart(8, '0')}`,
      labelId: `lbl_${n}`,
      labelUrl: null,
      labelPdf: Buffer.from('%PDF-1.4\n% test label\n'),
      amount: request.rate.amount,
      currency: request.rate.currency,
    };
    this.labels.set(request.idempotencyKey, label);
    return label;
  }

  async voidLabel(label: { labelId: string; trackingNumber: string }) {
    this.voids.push(label.labelId);
    return { voided: true, detail: 'refund requested' };
  }

  async track(trackingNumber: string): Promise<TrackingUpdate> {
    return this.timelines.get(trackingNumber) ?? { trackingNumber, carrier: 'TESTPOST', events: [] };
  }

  async parseWebhook(): Promise<WebhookResult> {
    return { ok: false, reason: 'the recording carrier sends no webhooks' };
  }
}
