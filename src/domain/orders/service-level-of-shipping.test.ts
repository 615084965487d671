import { describe, expect, it } from 'vitest';
import { serviceLevelOf } from './service-level-of-shipping.js';

const titled = (title: string) => ({ shipping_lines: [{ title, price: 5 }] });

describe('serviceLevelOf', () => {
  it('keeps a stated service level', () => {
    expect(serviceLevelOf({ service_level: 'economy', ...titled('Overnight') })).toBe('economy');
    expect(serviceLevelOf({ shipping_lines: [{ title: 'Whatever', price: 1, service_level: 'expedited' }] })).toBe('expedited');
  });

  it.each([
    ['Express (1-2 days)', 'expedited'],
    ['UPS 2-Day Air', 'expedited'],
    ['Next Day Delivery', 'overnight'],
    ['Express Overnight', 'overnight'],
    ['Economy International', 'economy'],
    ['Standard Shipping', 'standard'],
  ])('reads %s as %s', (title, level) => {
    expect(serviceLevelOf(titled(title))).toBe(level);
  });

  it('is standard without shipping lines', () => {
    expect(serviceLevelOf({})).toBe('standard');
  });
});
