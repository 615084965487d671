-- Anomaly detection: feature counters kept incrementally per order, demand forecasts kept per
-- stock movement, and flags (one open flag per subject and rule).

-- Every account that used a key (device, IP, email, payment card, address), ever.
CREATE TABLE anomaly_key_accounts (
  kind          text NOT NULL,
  key           text NOT NULL,
  account_id    text NOT NULL,
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  orders        integer NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, key, account_id)
);

-- Orders per key inside the longest window; older rows are pruned as new ones arrive. The
-- 'customer' kind keeps one account's own recent orders.
CREATE TABLE anomaly_key_events (
  kind          text NOT NULL,
  key           text NOT NULL,
  order_id      text NOT NULL,
  account_id    text NOT NULL,
  at            timestamptz NOT NULL,
  PRIMARY KEY (kind, key, order_id)
);
CREATE INDEX anomaly_key_events_window ON anomaly_key_events (kind, key, at);

CREATE TABLE anomaly_customer_counters (
  customer_id   text PRIMARY KEY,
  orders        integer NOT NULL DEFAULT 0,
  value_cents   bigint NOT NULL DEFAULT 0,
  recent_cents  bigint[] NOT NULL DEFAULT '{}',
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL
);

-- The most recent order values per channel: the robust baseline (median / MAD) is taken from it.
CREATE TABLE anomaly_channel_baselines (
  channel       text PRIMARY KEY,
  recent_cents  bigint[] NOT NULL DEFAULT '{}',
  orders        bigint NOT NULL DEFAULT 0
);

-- What the counters held just before each observed order; observing it again returns this row.
CREATE TABLE anomaly_counter_snapshots (
  order_id      text PRIMARY KEY,
  snapshot      jsonb NOT NULL,
  observed_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per scored order: makes scoring idempotent (a redelivered event does not count twice).
CREATE TABLE anomaly_order_scores (
  order_id      text PRIMARY KEY REFERENCES orders(id),
  score         numeric(5,1) NOT NULL,
  decision      text NOT NULL CHECK (decision IN ('pass', 'review', 'hold')),
  fired         jsonb NOT NULL DEFAULT '[]'::jsonb,
  scored_at     timestamptz NOT NULL DEFAULT now()
);

-- Daily demand per variant and location, folded into an EWMA with weekday factors.
CREATE TABLE anomaly_demand_forecasts (
  variant_id    text NOT NULL,
  location_id   text NOT NULL,
  level         double precision NOT NULL DEFAULT 0,
  weekday       double precision[] NOT NULL DEFAULT '{1,1,1,1,1,1,1}',
  days          integer NOT NULL DEFAULT 0,
  -- The day being accumulated; it is folded into the forecast when a later day starts.
  open_day      date,
  open_units    integer NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (variant_id, location_id)
);

CREATE TABLE anomaly_flags (
  id            bigserial PRIMARY KEY,
  subject_type  text NOT NULL CHECK (subject_type IN ('order', 'stock', 'fulfilment')),
  subject_id    text NOT NULL,
  rule          text NOT NULL,
  category      text NOT NULL CHECK (category IN ('risk', 'stock', 'operations')),
  severity      text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  score         numeric(5,1) NOT NULL DEFAULT 0,
  title         text NOT NULL,
  reasons       jsonb NOT NULL DEFAULT '[]'::jsonb,
  evidence      jsonb NOT NULL DEFAULT '{}'::jsonb,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  occurrences   integer NOT NULL DEFAULT 1,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by   text,
  resolved_at   timestamptz,
  resolution    text
);
-- Deduplication: while a flag is open or acknowledged, the same subject and rule update it.
CREATE UNIQUE INDEX anomaly_flags_live ON anomaly_flags (subject_type, subject_id, rule) WHERE status <> 'resolved';
CREATE INDEX anomaly_flags_status ON anomaly_flags (status, last_seen_at DESC);
