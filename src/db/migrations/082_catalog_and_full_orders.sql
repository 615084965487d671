-- Catalog keys from the storefronts, and the whole canonical order kept on the order.

-- Channels and product CSVs key a product by its URL handle; ids stay ours.
ALTER TABLE products
  ADD COLUMN handle text UNIQUE,
  ADD COLUMN vendor text,
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}';

ALTER TABLE variants
  ADD COLUMN barcode text;

ALTER TABLE orders
  ADD COLUMN billing_address jsonb,
  ADD COLUMN shipping_lines jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN discounts jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN taxes jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN note text,
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  -- Lines a channel sent that match no variant of ours: kept as sent, reserving nothing, so a
  -- held order can be mended instead of re-asked from the storefront.
  ADD COLUMN unmatched_lines jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Gift cards and services that are not in the catalog: charged, never stocked or shipped.
  ADD COLUMN non_stock_lines jsonb NOT NULL DEFAULT '[]'::jsonb;

ALTER TABLE order_lines
  ADD COLUMN requires_shipping boolean NOT NULL DEFAULT true,
  ADD COLUMN gift_card boolean NOT NULL DEFAULT false,
  ADD COLUMN total_discount numeric(14,2) NOT NULL DEFAULT 0,
  ADD COLUMN external_line_id text,
  ADD COLUMN external_variant_id text;
