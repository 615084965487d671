import { resolve } from 'node:path';
import type { Db } from '../../src/db/db.js';
import { MemorySandboxLabelStore } from '../../src/connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../../src/connectors/carriers/sandbox-carrier.js';
import type { Actor } from '../../src/domain/actor.js';
import { createOrder } from '../../src/domain/orders/create-order.js';
import type { OrderRecord } from '../../src/domain/orders/order-repository.js';
import { DEFAULT_ROUTING_SETTINGS } from '../../src/domain/routing/routing-settings.js';
import { applyTrackingUpdates } from '../../src/domain/shipping/apply-tracking-updates.js';
import type { TrackingStatus } from '../../src/domain/shipping/carrier.js';
import { fulfilOrder } from '../../src/domain/shipping/fulfil-order.js';
import type { Shipment } from '../../src/domain/shipping/shipment-repository.js';
import type { Clock } from '../../src/notifications/clock.js';
import { handleNotificationEvent } from '../../src/notifications/handle-notification-event.js';
import type { NotificationEngineDeps } from '../../src/notifications/notification-engine-deps.js';
import { notificationLinks } from '../../src/notifications/notification-links.js';
import { NOTIFICATION_SOURCE_TOPICS } from '../../src/notifications/notification-triggers.js';
import { createNotificationRenderer, type NotificationRenderer } from '../../src/notifications/render-notification.js';
import { runDueNotifications } from '../../src/notifications/run-due-notifications.js';
import { replaceFileWorkflows } from '../../src/notifications/workflow-repository.js';
import { readWorkflowsFile, templatesDirOf } from '../../src/notifications/workflows-file.js';
import { seedShippingLocations } from '../support/seed-shipping-locations.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';

export const DEFAULT_WORKFLOWS_FILE = resolve(import.meta.dirname, '../../notifications/workflows.yaml');
export const STORE_TZ = 'America/New_York';
export const PUBLIC_URL = 'https://shop.example.test';
export const actor: Actor = { kind: 'api', id: 'test' };
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** A clock a test moves by hand. */
export class TestClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date | string): void {
    this.at = new Date(at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export interface MessageRow {
  id: number;
  run_id: number | null;
  workflow_id: string;
  template: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  status: string;
  error: string | null;
  created_at: string;
}

/**
 * The engine on a real ledger: orders placed and fulfilled by the domain services, carrier scans
 * applied by applyTrackingUpdates, the outbox pumped through the engine as the notifications
 * extension would, on a clock the test moves.
 */
export class NotificationEngineFixture {
  readonly clock = new TestClock(new Date('2026-03-02T15:00:00Z')); // Monday 10:00 in New York
  readonly sandbox = new SandboxCarrier({ clock: () => this.clock.now(), store: new MemorySandboxLabelStore() });
  deps!: NotificationEngineDeps;
  private seen = 0;
  private n = 0;

  constructor(private readonly db: () => Db, private readonly sku: string) {}

  /** Seeds stock and loads a workflows file (the default one unless given) with its templates. */
  async setUp(options: { workflowsFile?: string; renderer?: NotificationRenderer } = {}): Promise<void> {
    const db = this.db();
    await seedTestCatalog(db, `p-${this.sku}`, [{ sku: this.sku, price: '25.00', stock: { 'loc-east-wh': 500 } }]);
    await db.query(`UPDATE variants SET weight_grams = 300 WHERE id = $1`, [`v-${this.sku}`]);
    await seedShippingLocations(db);
    const file = options.workflowsFile ?? DEFAULT_WORKFLOWS_FILE;
    const renderer = options.renderer ?? createNotificationRenderer(templatesDirOf(file), { timezone: STORE_TZ });
    const parsed = await readWorkflowsFile(file, (t) => renderer.has(t));
    await replaceFileWorkflows(db, parsed.workflows, actor);
    this.deps = {
      db,
      clock: this.clock,
      renderer,
      links: notificationLinks(PUBLIC_URL, 'test-signing-secret-test-signing-secret'),
      store: { name: 'Fernwood Test Store', supportEmail: 'help@shop.example.test', publicUrl: PUBLIC_URL, timezone: STORE_TZ },
      settings: parsed.settings,
    };
    this.seen = await this.lastOutboxId();
  }

  private async lastOutboxId(): Promise<number> {
    const { rows } = await this.db().query<{ id: number | null }>('SELECT max(id)::int AS id FROM outbox');
    return rows[0]!.id ?? 0;
  }

  async placeOrder(customer: { email: string; first_name?: string; phone?: string }, quantity = 1): Promise<OrderRecord> {
    const { order } = await createOrder(
      this.db(),
      {
        channel: 'api',
        external_id: `${this.sku}-${++this.n}`,
        customer: { email: customer.email, first_name: customer.first_name ?? 'Robin', last_name: 'Buyer', ...(customer.phone ? { phone: customer.phone } : {}) },
        shipping_address: { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' },
        lines: [{ sku: this.sku, quantity }],
        payment: { method: 'card' },
        placed_at: this.clock.now().toISOString(),
      },
      actor,
      { routing: { ...DEFAULT_ROUTING_SETTINGS, now: () => this.clock.now() } },
    );
    return order;
  }

  async fulfil(orderId: string): Promise<Shipment> {
    const r = await fulfilOrder(this.db(), [this.sandbox], orderId, actor, { now: this.clock.now() });
    return r.shipments[0]! as Shipment;
  }

  /** Carrier scans for a shipment, `at` hours from now (default now). */
  async scan(s: Shipment, ...events: { status: TrackingStatus; detail?: string; at?: number; expected?: Date | null }[]): Promise<void> {
    await applyTrackingUpdates(
      this.db(),
      'sandbox',
      [{
        trackingNumber: s.trackingNumber!,
        carrier: 'sandbox',
        events: events.map((e, i) => ({
          trackingNumber: s.trackingNumber!,
          status: e.status,
          occurredAt: new Date(this.clock.now().getTime() + (e.at ?? 0) * HOUR),
          detail: e.detail ?? e.status,
          location: 'Albany, NY',
          eventKey: `${s.trackingNumber}:${e.status}:${this.clock.now().getTime()}:${i}`,
          expectedDeliveryAt: e.expected ?? null,
        })),
      }],
      { kind: 'webhook', id: 'sandbox' },
    );
  }

  /** Hands every outbox event written since the last pump to the engine; returns the topics. */
  async pump(): Promise<string[]> {
    const { rows } = await this.db().query<{ id: number; topic: string; payload: Record<string, unknown> }>(
      'SELECT id, topic, payload FROM outbox WHERE id > $1 ORDER BY id',
      [this.seen],
    );
    for (const r of rows) {
      this.seen = Number(r.id);
      if (NOTIFICATION_SOURCE_TOPICS.includes(r.topic)) await handleNotificationEvent(this.deps, r.topic, r.payload);
    }
    return rows.map((r) => r.topic);
  }

  /** Moves the clock and walks every run now due. */
  async tick(ms: number): Promise<void> {
    this.clock.advance(ms);
    while ((await runDueNotifications(this.deps)) > 0) {
      /* a run that moved on may be due again at once */
    }
  }

  async messages(orderId: string): Promise<MessageRow[]> {
    const { rows } = await this.db().query<MessageRow>('SELECT * FROM notification_messages WHERE order_id = $1 ORDER BY id', [orderId]);
    return rows;
  }

  async runs(orderId: string): Promise<{ id: number; workflow_id: string; status: string; due_at: Date; dedupe_key: string; outcome_detail: string; attempts: number }[]> {
    const { rows } = await this.db().query<{ id: number; workflow_id: string; status: string; due_at: Date; dedupe_key: string; outcome_detail: string; attempts: number }>(
      'SELECT id, workflow_id, status, due_at, dedupe_key, outcome_detail, attempts FROM notification_runs WHERE order_id = $1 ORDER BY id',
      [orderId],
    );
    return rows.map((r) => ({ ...r, due_at: new Date(r.due_at) }));
  }
}

