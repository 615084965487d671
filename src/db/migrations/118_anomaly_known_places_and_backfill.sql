-- Distinct places a customer's orders shipped to (bounded, most recent last), so an order to a
-- new address can be measured against every earlier one without reading the order history.
ALTER TABLE anomaly_customer_counters ADD COLUMN IF NOT EXISTS known_places jsonb NOT NULL DEFAULT '[]';

-- How far `orderops anomaly backfill` got through the order history: the last order folded into
-- the counters, in (placed_at, id) order, so an interrupted run resumes after it.
CREATE TABLE IF NOT EXISTS anomaly_backfill_checkpoints (
  name         text PRIMARY KEY,
  placed_at    timestamptz,
  order_id     text,
  observed     integer NOT NULL DEFAULT 0,
  finished_at  timestamptz
);
