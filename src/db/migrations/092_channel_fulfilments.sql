-- A labelled shipment of a storefront order, as pushed to that storefront as a fulfilment with
-- its tracking: one row per shipment, so a repeated event finds it pushed and calls nothing.
-- A failing push keeps its row (status failed, the error and the attempts), beside the outbox
-- event that retries it and, past its last attempt, the dead-letter list.
CREATE TABLE channel_fulfilments (
  id                      bigserial PRIMARY KEY,
  shipment_id             bigint NOT NULL UNIQUE REFERENCES shipments(id),
  order_id                text NOT NULL REFERENCES orders(id),
  channel                 text NOT NULL,
  external_order_id       text NOT NULL,
  external_fulfilment_id  text,
  idempotency_key         text NOT NULL,
  status                  text NOT NULL CHECK (status IN ('pushed', 'failed')),
  attempts                integer NOT NULL DEFAULT 0,
  last_error              text,
  pushed_at               timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_fulfilments_order ON channel_fulfilments (order_id);
CREATE INDEX channel_fulfilments_failed ON channel_fulfilments (channel, updated_at) WHERE status = 'failed';
