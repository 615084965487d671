-- What the buyer's client told the storefront (browser IP, user agent, device id, account age).
-- Kept as sent so the anomaly scorer can build per-device and per-IP features later.
ALTER TABLE orders ADD COLUMN client jsonb;
CREATE INDEX orders_client_device ON orders ((client ->> 'device_id')) WHERE client ? 'device_id';
CREATE INDEX orders_client_ip ON orders ((client ->> 'browser_ip')) WHERE client ? 'browser_ip';
