-- Distinct places a customer's orders shipped to (bounded, most recent last), so an order to a
-- new address can be measured against every earlier one without reading the order history.
ALTER TABLE anomaly_customer_counters ADD COLUMN IF NOT EXISTS known_places jsonb NOT NULL DEFAULT '[]';
