import type { Db } from '../../src/db/db.js';

/** Real addresses for the four test locations, so carriers can quote from them. */
export async function seedShippingLocations(db: Db): Promise<void> {
  const addresses: [string, string, string, string, string][] = [
    ['loc-east-store', '100 Bedford Ave', 'Brooklyn', 'NY', '11211'],
    ['loc-east-wh', '1 Port St', 'Newark', 'NJ', '07114'],
    ['loc-west-3pl', '900 Industrial Way', 'Reno', 'NV', '89502'],
    ['loc-west-wh', '4000 E Airport Dr', 'Ontario', 'CA', '91761'],
  ];
  for (const [id, address1, city, state, zip] of addresses) {
    await db.query('UPDATE locations SET address1 = $2, city = $3, state = $4, zip = $5 WHERE id = $1', [id, address1, city, state, zip]);
  }
}
