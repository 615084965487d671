// Roughly the states a west-coast warehouse reaches faster than an east-coast one.
const US_WEST = new Set([
  'AK', 'AZ', 'CA', 'CO', 'HI', 'ID', 'KS', 'MT', 'NE', 'NV', 'NM', 'ND', 'OK', 'OR', 'SD', 'TX', 'UT', 'WA', 'WY',
]);
const US_NAMES = new Set(['US', 'USA', 'UNITED STATES', 'UNITED STATES OF AMERICA']);

/** The fulfilment region an address belongs to (`us-east` / `us-west`), or null outside the US. */
export function regionOfAddress(address: { country: string; state: string }): string | null {
  if (!US_NAMES.has(address.country.trim().toUpperCase())) return null;
  return US_WEST.has(address.state.trim().toUpperCase()) ? 'us-west' : 'us-east';
}
