import * as worldCountries from 'world-countries';
import type { Country, OfficialAndCommon } from 'world-countries';

// The package's types describe a CommonJS default; at run time its ESM entry's default is the list.
const countries = worldCountries.default as unknown as Country[];

const BY_NAME = new Map<string, string>();
const names = (m: Record<string, OfficialAndCommon> | undefined) =>
  Object.values(m ?? {}).flatMap((n) => [n.common, n.official]);
// Translations first, so a country's own codes and English names win any collision.
for (const c of countries) for (const name of [...names(c.translations), ...names(c.name.native)]) BY_NAME.set(normalise(name), c.cca2);
for (const c of countries) {
  for (const name of [...c.altSpellings, c.name.official, c.name.common, c.cca3, c.cca2]) BY_NAME.set(normalise(name), c.cca2);
}

function normalise(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
}

/** The ISO 3166-1 alpha-2 code for a country as people and storefronts write it ("USA", "United States", "us"), or null. */
export function countryCode(country: string): string | null {
  return BY_NAME.get(normalise(country)) ?? null;
}

/** The country's centroid as world-countries records it, by alpha-2 code. */
export function countryCentroid(code: string): { latitude: number; longitude: number } | null {
  const c = countries.find((x) => x.cca2 === code.toUpperCase());
  if (!c || c.latlng.length < 2) return null;
  return { latitude: c.latlng[0], longitude: c.latlng[1] };
}
