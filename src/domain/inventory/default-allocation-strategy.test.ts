import { describe, expect, it } from 'vitest';
import type { AvailableStock } from './allocation-strategy.js';
import { defaultAllocationStrategy } from './default-allocation-strategy.js';

const stock = (rows: [variant: string, location: string, region: string, available: number][]): AvailableStock[] =>
  rows.map(([variantId, locationId, locationRegion, available]) => ({ variantId, locationId, locationRegion, available }));

const line = (key: string, variantId: string, quantity: number) => ({ key, variantId, sku: `SKU-${variantId}`, quantity });

describe('defaultAllocationStrategy', () => {
  it('ships everything from one location in the order region when one can fill every line', () => {
    const result = defaultAllocationStrategy.allocate({
      lines: [line('0', 'a', 2), line('1', 'b', 1)],
      region: 'us-west',
      stock: stock([
        ['a', 'east', 'us-east', 10],
        ['b', 'east', 'us-east', 10],
        ['a', 'west1', 'us-west', 5],
        ['b', 'west1', 'us-west', 0],
        ['a', 'west2', 'us-west', 2],
        ['b', 'west2', 'us-west', 1],
      ]),
    });
    expect(result).toEqual({
      ok: true,
      allocations: [
        { lineKey: '0', locationId: 'west2', quantity: 2 },
        { lineKey: '1', locationId: 'west2', quantity: 1 },
      ],
    });
  });

  it('falls back to the location that fills the most when no local one fills everything', () => {
    const result = defaultAllocationStrategy.allocate({
      lines: [line('0', 'a', 2), line('1', 'b', 1)],
      region: 'us-west',
      stock: stock([
        ['a', 'east', 'us-east', 10],
        ['b', 'east', 'us-east', 10],
        ['a', 'west1', 'us-west', 2],
      ]),
    });
    expect(result).toEqual({
      ok: true,
      allocations: [
        { lineKey: '0', locationId: 'east', quantity: 2 },
        { lineKey: '1', locationId: 'east', quantity: 1 },
      ],
    });
  });

  it('splits a line across locations when no single one holds enough', () => {
    const result = defaultAllocationStrategy.allocate({
      lines: [line('0', 'a', 5)],
      region: 'us-east',
      stock: stock([
        ['a', 'east', 'us-east', 3],
        ['a', 'west', 'us-west', 4],
      ]),
    });
    expect(result).toEqual({
      ok: true,
      allocations: [
        { lineKey: '0', locationId: 'west', quantity: 4 },
        { lineKey: '0', locationId: 'east', quantity: 1 },
      ],
    });
  });

  it('counts two lines of the same variant against the same units', () => {
    const result = defaultAllocationStrategy.allocate({
      lines: [line('0', 'a', 2), line('1', 'a', 2)],
      region: 'us-east',
      stock: stock([['a', 'east', 'us-east', 3]]),
    });
    expect(result).toEqual({ ok: false, sku: 'SKU-a', wanted: 4, available: 3 });
  });

  it('prefers a local location over a remote one that fills the same number of units', () => {
    const result = defaultAllocationStrategy.allocate({
      lines: [line('0', 'a', 1), line('1', 'b', 1)],
      region: 'us-west',
      stock: stock([
        ['a', 'a-east', 'us-east', 1],
        ['a', 'z-west', 'us-west', 1],
        ['b', 'b-east', 'us-east', 1],
      ]),
    });
    expect(result.ok && result.allocations.find((a) => a.lineKey === '0')?.locationId).toBe('z-west');
  });

  it('refuses naming the SKU, what was wanted and what is available', () => {
    const result = defaultAllocationStrategy.allocate({
      lines: [line('0', 'a', 1), line('1', 'b', 7)],
      region: null,
      stock: stock([
        ['a', 'east', 'us-east', 1],
        ['b', 'east', 'us-east', 2],
        ['b', 'west', 'us-west', 3],
      ]),
    });
    expect(result).toEqual({ ok: false, sku: 'SKU-b', wanted: 7, available: 5 });
  });
});
