-- What a label purchase needs kept apart from the quote: the carrier's id for the purchase (to
-- void and track it), the service level the rate was chosen for, and when tracking was last
-- asked of the carrier (the poller skips shipments asked recently).
ALTER TABLE shipments
  ADD COLUMN label_id        text,
  ADD COLUMN service_level   text,
  ADD COLUMN last_polled_at  timestamptz;
CREATE INDEX tracking_events_shipment_key ON tracking_events (shipment_id, event_key);
