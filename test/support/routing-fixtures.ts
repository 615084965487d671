import type { CanonicalOrder } from '../../src/domain/orders/canonical-order.js';
import type { Location } from '../../src/domain/inventory/location-repository.js';
import type { RoutingLine, RoutingOrder } from '../../src/domain/routing/routing-order.js';

/** A location for pure routing tests: real coordinates, every service, no limits unless overridden. */
export function testLocation(id: string, over: Partial<Location> = {}): Location {
  return {
    id,
    name: id,
    kind: 'warehouse',
    region: '',
    country: 'US',
    address1: '',
    city: '',
    state: '',
    zip: '',
    latitude: null,
    longitude: null,
    services: ['economy', 'standard', 'expedited', 'overnight'],
    hazmat: false,
    maxWeightGrams: null,
    cutoffTime: '14:00',
    timeZone: 'America/New_York',
    handlingDays: 1,
    priority: 100,
    active: true,
    ...over,
  };
}

export function testLine(sku: string, quantity: number, over: Partial<RoutingLine> = {}): RoutingLine {
  return {
    key: sku,
    variantId: `v-${sku}`,
    sku,
    quantity,
    priceCents: 1000,
    weightGrams: 500,
    lengthMm: 200,
    widthMm: 150,
    heightMm: 50,
    hazmat: false,
    tags: [],
    backorderPolicy: 'deny',
    ...over,
  };
}

export function testOrder(lines: RoutingLine[], over: Partial<RoutingOrder> = {}): RoutingOrder {
  return {
    destination: { country: 'US', state: 'NY', zip: '10001' },
    serviceLevel: 'standard',
    channel: 'shopify',
    customerTags: [],
    lines,
    ...over,
  };
}

export const ALBANY_NY = { address1: '1 Main St', city: 'Albany', state: 'NY', country: 'USA', zip: '12207' };

/** A card-paid canonical order shipping to Albany NY, for tests that route through createOrder. */
export function canonicalTestOrder(externalId: string, lines: CanonicalOrder['lines'], over: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    channel: 'shopify',
    external_id: externalId,
    customer: { email: 'route.buyer@example.com', first_name: 'Route', last_name: 'Buyer' },
    shipping_address: ALBANY_NY,
    lines,
    payment: { method: 'card' },
    ...over,
  };
}
