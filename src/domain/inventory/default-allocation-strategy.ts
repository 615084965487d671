import type { Allocation, AllocationInput, AllocationResult, AllocationStrategy, AvailableStock } from './allocation-strategy.js';

/**
 * One parcel when possible: the first location in the order's region that can fill every line.
 * Otherwise it repeatedly takes the location that can fill the most remaining units (local ones
 * first on a tie), splitting lines across locations.
 */
export const defaultAllocationStrategy: AllocationStrategy = {
  code: 'default',
  allocate(input: AllocationInput): AllocationResult {
    const left = new Map<string, number>();
    const key = (variantId: string, locationId: string) => `${variantId}\u0000${locationId}`;
    for (const s of input.stock) left.set(key(s.variantId, s.locationId), Math.max(0, s.available));

    const wanted = new Map<string, number>();
    for (const line of input.lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    for (const line of input.lines) {
      const total = input.stock
        .filter((s) => s.variantId === line.variantId)
        .reduce((sum, s) => sum + Math.max(0, s.available), 0);
      const want = wanted.get(line.variantId)!;
      if (want > total) return { ok: false, sku: line.sku, wanted: want, available: total };
    }

    const locations = uniqueLocations(input.stock);
    const local = locations.filter((l) => l.region === input.region);
    const single = local.find((l) =>
      [...wanted].every(([variantId, qty]) => (left.get(key(variantId, l.id)) ?? 0) >= qty),
    );
    if (single) {
      return {
        ok: true,
        allocations: input.lines.map((line) => ({ lineKey: line.key, locationId: single.id, quantity: line.quantity })),
      };
    }

    const remaining = new Map(input.lines.map((line) => [line.key, line.quantity]));
    const allocations: Allocation[] = [];
    for (;;) {
      const open = input.lines.filter((line) => remaining.get(line.key)! > 0);
      if (open.length === 0) break;
      let best: { id: string; units: number; local: boolean } | null = null;
      for (const l of locations) {
        const units = fillableUnits(open, remaining, (v) => left.get(key(v, l.id)) ?? 0);
        const isLocal = l.region === input.region;
        if (
          units > 0 &&
          (!best || units > best.units || (units === best.units && isLocal && !best.local))
        ) {
          best = { id: l.id, units, local: isLocal };
        }
      }
      // Unreachable after the totals check above; guards against an endless loop all the same.
      if (!best) {
        const line = open[0]!;
        return { ok: false, sku: line.sku, wanted: wanted.get(line.variantId)!, available: 0 };
      }
      for (const line of open) {
        const k = key(line.variantId, best.id);
        const take = Math.min(remaining.get(line.key)!, left.get(k) ?? 0);
        if (take === 0) continue;
        left.set(k, left.get(k)! - take);
        remaining.set(line.key, remaining.get(line.key)! - take);
        allocations.push({ lineKey: line.key, locationId: best.id, quantity: take });
      }
    }
    return { ok: true, allocations };
  },
};

function uniqueLocations(stock: AvailableStock[]): { id: string; region: string }[] {
  const seen = new Map<string, string>();
  for (const s of stock) seen.set(s.locationId, s.locationRegion);
  return [...seen].map(([id, region]) => ({ id, region })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function fillableUnits(
  open: { key: string; variantId: string }[],
  remaining: Map<string, number>,
  availableOf: (variantId: string) => number,
): number {
  const used = new Map<string, number>();
  let units = 0;
  for (const line of open) {
    const free = availableOf(line.variantId) - (used.get(line.variantId) ?? 0);
    const take = Math.min(remaining.get(line.key)!, Math.max(0, free));
    used.set(line.variantId, (used.get(line.variantId) ?? 0) + take);
    units += take;
  }
  return units;
}
