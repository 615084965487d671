-- What the stock-out forecast remembers of an item beyond its demand level: its recent stock-out
-- record and usual supply (a StockoutHistory without the demand part), and when available stock
-- first reached zero on the day being accumulated.
ALTER TABLE anomaly_demand_forecasts ADD COLUMN IF NOT EXISTS stockout_record jsonb;
ALTER TABLE anomaly_demand_forecasts ADD COLUMN IF NOT EXISTS open_out_at timestamptz;
