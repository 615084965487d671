-- Units of a line accepted as backordered when routing found them short (variant policy 'allow'):
-- they are part of the line's quantity but hold no reservation until stock arrives.
ALTER TABLE order_lines
  ADD COLUMN backordered_quantity integer NOT NULL DEFAULT 0 CHECK (backordered_quantity >= 0 AND backordered_quantity <= quantity);
