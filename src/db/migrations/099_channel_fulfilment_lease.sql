-- A fulfilment push is claimed in a short transaction and the storefront called outside it: the
-- row says 'pushing' until lease_until, so a second delivery does not push again and a crash
-- mid-call is taken over once the lease has run out.
ALTER TABLE channel_fulfilments DROP CONSTRAINT IF EXISTS channel_fulfilments_status_check;
ALTER TABLE channel_fulfilments ADD CONSTRAINT channel_fulfilments_status_check CHECK (status IN ('pushing', 'pushed', 'failed'));
ALTER TABLE channel_fulfilments ADD COLUMN lease_until timestamptz;
