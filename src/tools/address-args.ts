import { z } from 'zod';

/** The six address fields every address-changing tool takes, as the store keeps them. */
export const addressArgs = {
  address1: z.string().min(1).describe('First address line: street and number.'),
  address2: z.string().describe('Second address line (suite, apartment); an empty string when there is none.'),
  city: z.string().min(1).describe('City.'),
  state: z.string().min(1).describe('State or region code, for example "CA".'),
  country: z.string().min(1).describe('Country, for example "USA".'),
  zip: z.string().min(1).describe('Postal code exactly as written, for example "94140".'),
};
