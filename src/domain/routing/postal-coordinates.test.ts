import { describe, expect, it } from 'vitest';
import { countryCode } from './country-code.js';
import { greatCircleKm } from './great-circle-km.js';
import { postalCoordinates } from './postal-coordinates.js';

describe('postalCoordinates', () => {
  it('places a US ZIP code at its own point, with or without the +4 part', () => {
    const nyc = postalCoordinates({ country: 'USA', zip: '10001' })!;
    expect(nyc.precision).toBe('postal');
    expect(nyc.latitude).toBeCloseTo(40.75, 1);
    expect(postalCoordinates({ country: 'United States', zip: '10001-1234' })).toEqual(nyc);
  });

  it('places an unlisted ZIP at the nearest listed code of its three-digit prefix', () => {
    const near = postalCoordinates({ country: 'US', zip: '10099' })!;
    expect(near.precision).toBe('postal');
    expect(near.latitude).toBeCloseTo(40.7, 0);
    expect(near.longitude).toBeCloseTo(-74, 0);
  });

  it('falls back to the country centroid outside the US and for an unknown ZIP', () => {
    expect(postalCoordinates({ country: 'Canada', zip: 'M5V 2T6' })?.precision).toBe('country');
    expect(postalCoordinates({ country: 'US', zip: '00000' })?.precision).toBe('country');
    expect(postalCoordinates({ country: 'Atlantis', zip: '1' })).toBeNull();
  });

  it('measures real distances: New York to Los Angeles is about 3,940 km', () => {
    const km = greatCircleKm(postalCoordinates({ country: 'US', zip: '10001' })!, postalCoordinates({ country: 'US', zip: '90012' })!);
    expect(km).toBeGreaterThan(3800);
    expect(km).toBeLessThan(4050);
  });

  it('reads country names as storefronts write them', () => {
    expect(countryCode('usa')).toBe('US');
    expect(countryCode('Deutschland')).toBe('DE');
    expect(countryCode('GBR')).toBe('GB');
    expect(countryCode('nowhere')).toBeNull();
  });
});
