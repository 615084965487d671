-- Fulfilment: where stock ships from, what parcels weigh, routing rules and their decisions,
-- stock in transit between locations, and shipments with their labels and carrier events.

-- A location's address and coordinates give distances; its capabilities say what it may ship.
ALTER TABLE locations
  ADD COLUMN address1         text NOT NULL DEFAULT '',
  ADD COLUMN city             text NOT NULL DEFAULT '',
  ADD COLUMN state            text NOT NULL DEFAULT '',
  ADD COLUMN zip              text NOT NULL DEFAULT '',
  ADD COLUMN latitude         double precision,
  ADD COLUMN longitude        double precision,
  ADD COLUMN services         text[] NOT NULL DEFAULT '{standard,expedited,overnight}',
  ADD COLUMN hazmat           boolean NOT NULL DEFAULT false,
  ADD COLUMN max_weight_grams integer CHECK (max_weight_grams IS NULL OR max_weight_grams > 0),
  -- Local wall-clock HH:MM in time_zone; an order routed after it leaves a handling day later.
  ADD COLUMN cutoff_time      text NOT NULL DEFAULT '14:00' CHECK (cutoff_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD COLUMN time_zone        text NOT NULL DEFAULT 'UTC',
  ADD COLUMN handling_days    integer NOT NULL DEFAULT 1 CHECK (handling_days >= 0),
  ADD COLUMN priority         integer NOT NULL DEFAULT 100;

ALTER TABLE variants
  ADD COLUMN length_mm        integer NOT NULL DEFAULT 0 CHECK (length_mm >= 0),
  ADD COLUMN width_mm         integer NOT NULL DEFAULT 0 CHECK (width_mm >= 0),
  ADD COLUMN height_mm        integer NOT NULL DEFAULT 0 CHECK (height_mm >= 0),
  ADD COLUMN hazmat           boolean NOT NULL DEFAULT false,
  ADD COLUMN tags             text[] NOT NULL DEFAULT '{}',
  -- Units kept back from every channel's available figure.
  ADD COLUMN safety_stock     integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  ADD COLUMN backorder_policy text NOT NULL DEFAULT 'deny' CHECK (backorder_policy IN ('deny', 'allow'));

ALTER TABLE customers ADD COLUMN tags text[] NOT NULL DEFAULT '{}';

-- The service level the buyer chose, and the delivery date promised when the order was routed.
ALTER TABLE orders
  ADD COLUMN service_level        text NOT NULL DEFAULT 'standard',
  ADD COLUMN promised_delivery_at timestamptz;

-- A transfer leaves the source as a transfer_out movement, is in transit here, and arrives as a
-- transfer_in movement at the destination: stock is never in two places or in none.
CREATE TABLE stock_transfers (
  id                bigserial PRIMARY KEY,
  variant_id        text NOT NULL REFERENCES variants(id),
  from_location_id  text NOT NULL REFERENCES locations(id),
  to_location_id    text NOT NULL REFERENCES locations(id),
  quantity          integer NOT NULL CHECK (quantity > 0),
  status            text NOT NULL DEFAULT 'in_transit' CHECK (status IN ('in_transit', 'received', 'cancelled')),
  reason            text NOT NULL DEFAULT '',
  actor             text NOT NULL,
  shipped_at        timestamptz NOT NULL DEFAULT now(),
  received_at       timestamptz,
  CHECK (from_location_id <> to_location_id)
);
CREATE INDEX stock_transfers_open ON stock_transfers (variant_id) WHERE status = 'in_transit';

-- Rules in evaluation order (lowest position first). source says whether the rules file or the
-- API wrote it; loading the file replaces only the file's rules.
CREATE TABLE routing_rules (
  id          text PRIMARY KEY,
  position    integer NOT NULL,
  name        text NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  conditions  jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcome     jsonb NOT NULL,
  source      text NOT NULL DEFAULT 'api' CHECK (source IN ('file', 'api')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_rules_order ON routing_rules (position, id);

-- Every routing decision with its full explanation: rules matched, candidates, winner and why.
CREATE TABLE routing_decisions (
  id           bigserial PRIMARY KEY,
  order_id     text NOT NULL REFERENCES orders(id),
  trigger      text NOT NULL CHECK (trigger IN ('created', 'lines_changed', 'address_changed', 'reroute')),
  strategy     text NOT NULL,
  explanation  jsonb NOT NULL,
  promised_delivery_at timestamptz,
  actor        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_decisions_order ON routing_decisions (order_id, id);

-- Shipments (the tau-retail reference calls them fulfilments): one parcel from one location.
ALTER TABLE fulfilments RENAME TO shipments;
ALTER INDEX fulfilments_tracking RENAME TO shipments_tracking;
ALTER TABLE shipments
  ADD COLUMN tracking_number       text,
  ADD COLUMN carrier_account       text,
  ADD COLUMN carrier_shipment_id   text,
  ADD COLUMN rate_id               text,
  ADD COLUMN rate_amount           numeric(14,2),
  ADD COLUMN rate_currency         text,
  -- The key the label purchase is made with; a retry sends the same key and never buys twice.
  ADD COLUMN label_idempotency_key text,
  ADD COLUMN label_url             text,
  ADD COLUMN label_pdf             bytea,
  ADD COLUMN weight_grams          integer,
  ADD COLUMN expected_delivery_at  timestamptz,
  ADD COLUMN last_event_at         timestamptz,
  ADD COLUMN label_purchased_at    timestamptz,
  ADD COLUMN voided_at             timestamptz,
  ADD COLUMN updated_at            timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX shipments_label_key ON shipments (label_idempotency_key) WHERE label_idempotency_key IS NOT NULL;
CREATE INDEX shipments_tracking_number ON shipments (carrier_account, tracking_number) WHERE tracking_number IS NOT NULL;
CREATE INDEX shipments_open ON shipments (status) WHERE status NOT IN ('delivered', 'returned', 'voided', 'cancelled');

-- The order lines a shipment carries (a line ships from exactly one location).
ALTER TABLE order_lines ADD COLUMN shipment_id bigint REFERENCES shipments(id);

-- Carrier events as received; event_key deduplicates a webhook delivered twice.
CREATE TABLE tracking_events (
  id            bigserial PRIMARY KEY,
  shipment_id   bigint NOT NULL REFERENCES shipments(id),
  carrier       text NOT NULL,
  event_key     text NOT NULL UNIQUE,
  status        text NOT NULL,
  detail        text NOT NULL DEFAULT '',
  location      text NOT NULL DEFAULT '',
  occurred_at   timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  raw           jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX tracking_events_shipment ON tracking_events (shipment_id, occurred_at);
