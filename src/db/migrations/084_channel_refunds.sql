-- Refunds a storefront made, by the storefront's refund id: the same refund arriving under another
-- webhook delivery (or by reconciliation) is recorded in the payment ledger once.
CREATE TABLE channel_refunds (
  channel             text NOT NULL,
  external_refund_id  text NOT NULL,
  order_id            text NOT NULL REFERENCES orders(id),
  -- What the channel refunded, and what of it the ledger still had to refund (0 when a
  -- cancellation had already refunded everything).
  amount              numeric(14,2) NOT NULL CHECK (amount >= 0),
  recorded_amount     numeric(14,2) NOT NULL CHECK (recorded_amount >= 0),
  note                text,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, external_refund_id)
);
CREATE INDEX channel_refunds_order ON channel_refunds (order_id);
