-- Sales channels: how each storefront's ids map to ours, and every webhook delivery received.

-- A channel's variant (Shopify variant id, WooCommerce product or variation id) is ours here.
-- Stock pushes and incoming order lines both go through this map.
CREATE TABLE channel_variants (
  channel                     text NOT NULL,
  external_variant_id         text NOT NULL,
  variant_id                  text NOT NULL REFERENCES variants(id),
  external_product_id         text,
  -- Shopify keeps stock on the inventory item, not the variant.
  external_inventory_item_id  text,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, external_variant_id)
);
CREATE INDEX channel_variants_variant ON channel_variants (variant_id, channel);

-- Every verified delivery, stored before it is answered, so the work is a job and a
-- redelivery (same delivery id) is recognised. Failed processing stays visible here.
CREATE TABLE webhook_deliveries (
  channel       text NOT NULL,
  delivery_id   text NOT NULL,
  topic         text NOT NULL,
  payload       jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text,
  PRIMARY KEY (channel, delivery_id)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (received_at) WHERE processed_at IS NULL;

-- Each pass that pages a channel's recent orders and takes in those the ledger missed.
CREATE TABLE channel_reconciliation_runs (
  id            bigserial PRIMARY KEY,
  channel       text NOT NULL,
  since         timestamptz NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  seen          integer NOT NULL DEFAULT 0,
  -- Orders the webhooks never delivered, now in the ledger.
  caught        integer NOT NULL DEFAULT 0,
  caught_ids    text[] NOT NULL DEFAULT '{}',
  error         text
);
CREATE INDEX channel_reconciliation_runs_channel ON channel_reconciliation_runs (channel, started_at DESC);
