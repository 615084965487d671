import { greatCircleKm } from '../domain/routing/great-circle-km.js';
import type { GeoPoint } from './feature-counters.js';

/**
 * Km between two geocoded places, or null when the distance would mean nothing: within one
 * country a centroid says nothing about where in it the address is. Across countries the
 * centroids are far enough apart to stand for the places.
 */
export function placeDistanceKm(a: GeoPoint, b: GeoPoint): number | null {
  if (a.country === b.country && !(a.precise && b.precise)) return null;
  return greatCircleKm(a, b);
}

/**
 * Km from `place` to the nearest of `known`; null when there is none, or when one of them cannot
 * be measured (it might be the near one, and "far from every known place" must hold for all).
 */
export function nearestPlaceKm(place: GeoPoint, known: readonly GeoPoint[]): number | null {
  let nearest: number | null = null;
  for (const k of known) {
    const d = placeDistanceKm(place, k);
    if (d === null) return null;
    if (nearest === null || d < nearest) nearest = d;
  }
  return nearest;
}
