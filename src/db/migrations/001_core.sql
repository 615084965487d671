-- Core ledger: customers, catalog, locations, stock, orders, payments, audit.
-- Money is NUMERIC(14,2): exact cents, never floating point.

CREATE TABLE customers (
  id            text PRIMARY KEY,
  first_name    text NOT NULL,
  last_name     text NOT NULL,
  email         text NOT NULL,
  phone         text,
  address1      text NOT NULL DEFAULT '',
  address2      text NOT NULL DEFAULT '',
  city          text NOT NULL DEFAULT '',
  state         text NOT NULL DEFAULT '',
  country       text NOT NULL DEFAULT '',
  zip           text NOT NULL DEFAULT '',
  seq           bigserial NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_lower ON customers (lower(email));
CREATE INDEX customers_name_zip ON customers (lower(first_name), lower(last_name), zip);

CREATE TABLE payment_methods (
  id            text PRIMARY KEY,
  customer_id   text NOT NULL REFERENCES customers(id),
  source        text NOT NULL CHECK (source IN ('credit_card', 'paypal', 'gift_card')),
  brand         text,
  last_four     text,
  balance       numeric(14,2),
  seq           bigserial NOT NULL,
  CHECK ((source = 'gift_card') = (balance IS NOT NULL))
);
CREATE INDEX payment_methods_customer ON payment_methods (customer_id);

CREATE TABLE products (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  product_type  text NOT NULL,
  description   text NOT NULL DEFAULT '',
  seq           bigserial NOT NULL
);

CREATE TABLE variants (
  id            text PRIMARY KEY,
  product_id    text NOT NULL REFERENCES products(id),
  sku           text NOT NULL UNIQUE,
  options       jsonb NOT NULL DEFAULT '{}'::jsonb,
  price         numeric(14,2) NOT NULL CHECK (price >= 0),
  weight_grams  integer NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
  available     boolean NOT NULL DEFAULT true,
  seq           bigserial NOT NULL
);
CREATE INDEX variants_product ON variants (product_id);

CREATE TABLE locations (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('warehouse', 'store', '3pl')),
  region        text NOT NULL,
  country       text NOT NULL,
  active        boolean NOT NULL DEFAULT true
);

-- on_hand is the running sum of inventory_movements, written only by the movements ledger in
-- the same transaction as the movement; available is on_hand minus active reservations.
CREATE TABLE inventory_levels (
  variant_id    text NOT NULL REFERENCES variants(id),
  location_id   text NOT NULL REFERENCES locations(id),
  on_hand       integer NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (variant_id, location_id)
);

CREATE TABLE inventory_movements (
  id            bigserial PRIMARY KEY,
  variant_id    text NOT NULL,
  location_id   text NOT NULL,
  quantity      integer NOT NULL CHECK (quantity <> 0),
  kind          text NOT NULL CHECK (kind IN ('receipt', 'adjustment', 'sale', 'return', 'transfer_in', 'transfer_out', 'count')),
  reason        text NOT NULL DEFAULT '',
  order_id      text,
  actor         text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (variant_id, location_id) REFERENCES inventory_levels (variant_id, location_id)
);
CREATE INDEX inventory_movements_level ON inventory_movements (variant_id, location_id, created_at);

CREATE TABLE orders (
  id            text PRIMARY KEY,
  customer_id   text NOT NULL REFERENCES customers(id),
  channel       text NOT NULL DEFAULT 'api',
  external_id   text NOT NULL,
  status        text NOT NULL,
  currency      text NOT NULL DEFAULT 'USD',
  address1      text NOT NULL,
  address2      text NOT NULL DEFAULT '',
  city          text NOT NULL,
  state         text NOT NULL,
  country       text NOT NULL,
  zip           text NOT NULL,
  email         text,
  placed_at     timestamptz NOT NULL DEFAULT now(),
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  cancel_reason text,
  return_items  text[],
  return_payment_method_id text,
  exchange_items text[],
  exchange_new_items text[],
  exchange_payment_method_id text,
  exchange_price_difference numeric(14,2),
  hold_reason   text,
  seq           bigserial NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, external_id)
);
CREATE INDEX orders_customer ON orders (customer_id, seq);
CREATE INDEX orders_status ON orders (status, status_changed_at);
CREATE INDEX orders_placed ON orders (placed_at);

CREATE TABLE order_lines (
  id            bigserial PRIMARY KEY,
  order_id      text NOT NULL REFERENCES orders(id),
  position      integer NOT NULL,
  product_id    text NOT NULL,
  variant_id    text NOT NULL,
  name          text NOT NULL,
  options       jsonb NOT NULL DEFAULT '{}'::jsonb,
  price         numeric(14,2) NOT NULL,
  quantity      integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
  location_id   text,
  UNIQUE (order_id, position)
);
CREATE INDEX order_lines_variant ON order_lines (variant_id);

-- Reservation rows are the only way reserved stock changes.
CREATE TABLE reservations (
  id            bigserial PRIMARY KEY,
  variant_id    text NOT NULL,
  location_id   text NOT NULL,
  order_id      text NOT NULL REFERENCES orders(id),
  order_line_id bigint REFERENCES order_lines(id),
  quantity      integer NOT NULL CHECK (quantity > 0),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'fulfilled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  FOREIGN KEY (variant_id, location_id) REFERENCES inventory_levels (variant_id, location_id)
);
CREATE INDEX reservations_active ON reservations (variant_id, location_id) WHERE status = 'active';
CREATE INDEX reservations_order ON reservations (order_id);

CREATE TABLE fulfilments (
  id            bigserial PRIMARY KEY,
  order_id      text NOT NULL REFERENCES orders(id),
  position      integer NOT NULL,
  tracking_ids  text[] NOT NULL DEFAULT '{}',
  item_ids      text[] NOT NULL DEFAULT '{}',
  carrier       text,
  service       text,
  location_id   text,
  status        text NOT NULL DEFAULT 'shipped',
  promised_at   timestamptz,
  shipped_at    timestamptz,
  delivered_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, position)
);
CREATE INDEX fulfilments_tracking ON fulfilments USING gin (tracking_ids);

-- Append-only: a refund is a new row, never an update of a payment.
CREATE TABLE payments (
  id            bigserial PRIMARY KEY,
  order_id      text NOT NULL REFERENCES orders(id),
  position      integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('payment', 'refund')),
  amount        numeric(14,2) NOT NULL CHECK (amount >= 0),
  payment_method_id text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, position)
);

CREATE TABLE order_events (
  id            bigserial PRIMARY KEY,
  order_id      text NOT NULL REFERENCES orders(id),
  from_status   text,
  to_status     text NOT NULL,
  reason        text NOT NULL DEFAULT '',
  actor         text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_kind    text NOT NULL CHECK (actor_kind IN ('person', 'agent', 'job', 'webhook', 'system', 'api')),
  actor_id      text NOT NULL,
  on_behalf_of  text,
  action        text NOT NULL,
  entity_type   text NOT NULL,
  entity_id     text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);

CREATE TABLE idempotency_keys (
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Transactional outbox: rows written in the same transaction as the change, relayed to jobs.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  topic         text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  relayed_at    timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL;
