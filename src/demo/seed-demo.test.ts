import { describe, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { checkInventoryIntegrity } from '../domain/inventory/check-inventory-integrity.js';
import { greatCircleKm } from '../domain/routing/great-circle-km.js';
import { postalCoordinates } from '../domain/routing/postal-coordinates.js';
import { listLocations } from '../domain/inventory/location-repository.js';
import { transitionRefusal } from '../domain/orders/order-state-machine.js';
import { ORDER_STATUSES } from '../domain/orders/order-status.js';
import { generateDemoData } from './generate-demo-data.js';
import { seedDemo } from './seed-demo.js';

describe('generateDemoData', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const small = { orders: 200, customers: 40 };
    const a = generateDemoData({ seed: 7, ...small });
    const b = generateDemoData({ seed: 7, ...small });
    const c = generateDemoData({ seed: 8, ...small });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.orders.map((o) => o.id)).not.toEqual(a.orders.map((o) => o.id));
  });

  it('moving the base date shifts every time and changes nothing else', () => {
    const small = { seed: 7, orders: 50, customers: 10 };
    const a = generateDemoData({ ...small, baseDate: new Date('2025-01-01T00:00:00Z') });
    const b = generateDemoData({ ...small, baseDate: new Date('2025-01-03T00:00:00Z') });
    expect(b.orders.map((o) => [o.id, o.status])).toEqual(a.orders.map((o) => [o.id, o.status]));
    const shift = (row: Record<string, unknown>) => Date.parse(String(row.placed_at));
    expect(shift(b.orders[0]!) - shift(a.orders[0]!)).toBe(2 * 24 * 3_600_000);
  });
});

describeEachDb('seedDemo', (ctx) => {
  it('loads the demo store with every order status, and refuses to load it twice', async () => {
    const summary = await seedDemo(ctx.db, { seed: 42 });
    expect(summary).toMatchObject({ products: 60, variants: 300, locations: 4, customers: 300, orders: 3000 });
    expect(Object.keys(summary.byStatus).sort()).toEqual([...ORDER_STATUSES].sort());

    const regions = await ctx.db.query<{ region: string; n: number }>(
      'SELECT region, count(*)::int AS n FROM locations GROUP BY region ORDER BY region',
    );
    expect(regions.rows).toEqual([
      { region: 'us-east', n: 2 },
      { region: 'us-west', n: 2 },
    ]);
    await expect(seedDemo(ctx.db)).rejects.toThrow(/already has 3000 orders/);
  }, 180_000);

  it('keeps on hand equal to the sum of movements and never reserves beyond it', async () => {
    const { rows } = await ctx.db.query<{ bad_ledger: number; over_reserved: number; negative: number }>(`
      WITH r AS (SELECT variant_id, location_id, sum(quantity) AS reserved FROM reservations WHERE status = 'active' GROUP BY 1, 2),
           m AS (SELECT variant_id, location_id, sum(quantity) AS moved FROM inventory_movements GROUP BY 1, 2)
      SELECT count(*) FILTER (WHERE l.on_hand <> coalesce(m.moved, 0))::int AS bad_ledger,
             count(*) FILTER (WHERE coalesce(r.reserved, 0) > l.on_hand)::int AS over_reserved,
             count(*) FILTER (WHERE l.on_hand < 0)::int AS negative
        FROM inventory_levels l
        LEFT JOIN m USING (variant_id, location_id)
        LEFT JOIN r USING (variant_id, location_id)`);
    expect(rows[0]).toEqual({ bad_ledger: 0, over_reserved: 0, negative: 0 });
  });

  it('gives every location an address, coordinates and shipping terms, and every variant a parcel size', async () => {
    const locations = await listLocations(ctx.db);
    for (const l of locations) {
      expect(l.zip).toMatch(/^\d{5}$/);
      expect(l.address1 && l.city && l.state).toBeTruthy();
      expect(l.latitude).not.toBeNull();
      expect(l.timeZone).toMatch(/^America\//);
      expect(l.services.length).toBeGreaterThan(0);
    }
    expect(locations.map((l) => l.id)).toEqual(['loc-ca-warehouse', 'loc-nj-warehouse', 'loc-nv-3pl', 'loc-ny-store']);
    // The stored coordinates are the ZIP's own, so distances computed from either agree.
    for (const l of locations) {
      const zipPoint = postalCoordinates({ country: l.country, zip: l.zip })!;
      expect(zipPoint.precision).toBe('postal');
      expect(greatCircleKm(zipPoint, { latitude: l.latitude!, longitude: l.longitude! })).toBeLessThan(15);
    }
    expect(new Set(locations.map((l) => l.priority)).size).toBe(locations.length);
    const { rows } = await ctx.db.query<{ flat: number; tent: number; sock: number }>(`
      SELECT count(*) FILTER (WHERE weight_grams = 0 OR length_mm = 0 OR width_mm = 0 OR height_mm = 0)::int AS flat,
             max(length_mm) FILTER (WHERE sku LIKE 'TENT-%')::int AS tent,
             max(length_mm) FILTER (WHERE sku LIKE 'SOCK-%')::int AS sock
        FROM variants`);
    expect(rows[0]!.flat).toBe(0);
    expect(rows[0]!.tent).toBeGreaterThan(rows[0]!.sock);
  });

  it('passes the inventory integrity check', async () => {
    expect(await checkInventoryIntegrity(ctx.db, { stuckTransferDays: 14 })).toEqual([]);
  });

  it('gives each status the reservations, fulfilments and payments it implies', async () => {
    const { rows } = await ctx.db.query<{ status: string; orders: number; active: number; shipped_units: number; parcels: number; tracked: number; balanced: number; refunded: number }>(`
      SELECT o.status, count(*)::int AS orders,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = o.id AND r.status = 'active'))::int AS active,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM inventory_movements m WHERE m.order_id = o.id AND m.kind = 'sale'))::int AS shipped_units,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM shipments f WHERE f.order_id = o.id))::int AS parcels,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM shipments f WHERE f.order_id = o.id
                                                 AND (cardinality(f.tracking_ids) = 0 OR f.carrier IS NULL)))::int AS tracked,
             count(*) FILTER (WHERE (SELECT sum(amount) FROM payments p WHERE p.order_id = o.id AND p.kind = 'payment')
                                  = (SELECT sum(price * quantity) FROM order_lines l WHERE l.order_id = o.id))::int AS balanced,
             count(*) FILTER (WHERE (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.order_id = o.id AND p.kind = 'refund')
                                  = (SELECT sum(amount) FROM payments p WHERE p.order_id = o.id AND p.kind = 'payment'))::int AS refunded
        FROM orders o GROUP BY o.status ORDER BY o.status`);
    const by = Object.fromEntries(rows.map((r) => [r.status, r]));
    for (const r of rows) {
      expect(r.balanced, r.status).toBe(r.orders);
      expect(r.tracked, r.status).toBe(r.orders);
    }
    for (const s of ['pending', 'pending (item modified)', 'processed', 'on_hold']) {
      expect(by[s], s).toMatchObject({ active: by[s]!.orders, shipped_units: 0, parcels: 0 });
    }
    for (const s of ['shipped', 'delivered', 'exception', 'return requested', 'exchange requested']) {
      expect(by[s], s).toMatchObject({ active: 0, shipped_units: by[s]!.orders, parcels: by[s]!.orders });
    }
    expect(by.partially_shipped).toMatchObject({ active: by.partially_shipped!.orders, parcels: by.partially_shipped!.orders });
    expect(by.cancelled).toMatchObject({ active: 0, shipped_units: 0, parcels: 0, refunded: by.cancelled!.orders });
  });

  it('reached every status through the transition table', async () => {
    const { rows } = await ctx.db.query<{ id: string; status: string; path: (string | null)[] }>(`
      SELECT o.id, o.status, array_agg(e.to_status ORDER BY e.id) AS path
        FROM orders o JOIN order_events e ON e.order_id = o.id GROUP BY o.id, o.status`);
    expect(rows).toHaveLength(3000);
    for (const r of rows) {
      expect(r.path[0]).toBe('pending');
      expect(r.path[r.path.length - 1]).toBe(r.status);
      for (let i = 1; i < r.path.length; i++) expect(transitionRefusal(r.path[i - 1]!, r.path[i]!)).toBeNull();
    }
  });
});
