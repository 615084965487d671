import { describe, expect, it } from 'vitest';
import { channelStockQuantity } from './channel-stock-quantity.js';

const at = (available: number, safetyStock = 0, locationActive = true) => ({ available, safetyStock, locationActive });

describe('channelStockQuantity', () => {
  it('sums available over locations', () => {
    expect(channelStockQuantity([at(4), at(6)])).toBe(10);
  });

  it('subtracts the safety stock at each location', () => {
    expect(channelStockQuantity([at(10, 3), at(5, 3)])).toBe(9);
  });

  it('never lets a location below its safety stock take from another', () => {
    expect(channelStockQuantity([at(1, 3), at(8, 3)])).toBe(5);
  });

  it('is 0, not negative, when reservations exceed on hand', () => {
    expect(channelStockQuantity([at(-2), at(0, 1)])).toBe(0);
  });

  it('leaves out inactive locations', () => {
    expect(channelStockQuantity([at(7), at(50, 0, false)])).toBe(7);
  });

  it('is 0 for a variant stocked nowhere', () => {
    expect(channelStockQuantity([])).toBe(0);
  });
});
