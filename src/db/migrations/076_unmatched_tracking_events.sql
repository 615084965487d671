-- Verified carrier events for a tracking number no shipment carries yet (a webhook that outran the
-- label's record, say). Kept per carrier account and applied once a shipment of that account gets
-- the number, so nothing the webhook route accepted is lost.
CREATE TABLE unmatched_tracking_events (
  id               bigserial PRIMARY KEY,
  account          text NOT NULL,
  tracking_number  text NOT NULL,
  carrier          text NOT NULL,
  events           jsonb NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  applied_at       timestamptz,
  shipment_id      bigint REFERENCES shipments(id)
);
CREATE INDEX unmatched_tracking_events_waiting ON unmatched_tracking_events (account, tracking_number) WHERE applied_at IS NULL;
