-- Stock pushed to the sales channels: one row per (variant, channel) that sells it.
-- A change of available stock marks the row dirty (bumping `version`); a push job claims dirty
-- rows, reads the quantity at that moment, pushes, and clears `dirty` only if `version` did not
-- move meanwhile, so a burst of sales ends in one push of the latest value.
CREATE TABLE channel_stock_sync (
  variant_id         text NOT NULL REFERENCES variants(id),
  channel            text NOT NULL,
  dirty              boolean NOT NULL DEFAULT true,
  dirty_since        timestamptz,
  version            bigint NOT NULL DEFAULT 1,
  -- A push in flight holds the row until then, so two jobs never push one variant out of order.
  claimed_until      timestamptz,
  pushed_quantity    integer,
  pushed_at          timestamptz,
  -- What the channel said it holds after the last call; the compare-and-set value of the next.
  channel_quantity   integer,
  pushes             integer NOT NULL DEFAULT 0,
  attempts           integer NOT NULL DEFAULT 0,
  last_error         text,
  failing_since      timestamptz,
  mismatch_since     timestamptz,
  -- Set when a persisting failure or mismatch was reported as a problem event, cleared on recovery.
  problem_reported_at timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (variant_id, channel)
);
CREATE INDEX channel_stock_sync_dirty ON channel_stock_sync (channel, dirty_since) WHERE dirty;
