import { z } from 'zod';
import { SERVICE_LEVELS } from '../shipping/carrier.js';

// Field-level messages: a client reads "lines.0.sku: is required", not a type-system phrase.
const required = (expected: string) => ({
  error: (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_value') return undefined;
    return issue.input === undefined ? 'is required' : `must be ${expected}`;
  },
});
const text = (max: number) => z.string(required('a string')).trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) => z.string(required('a string')).trim().max(max).optional();
const money = z
  .number(required('a number'))
  .nonnegative('must not be negative')
  .max(1_000_000)
  .refine((v) => Number.isInteger(Math.round(v * 100)) && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, {
    message: 'must have at most two decimals',
  });
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z' });

export const canonicalAddressSchema = z
  .object(
    {
    address1: text(200).describe('Street address'),
    address2: optionalText(200).describe('Apartment, suite, unit'),
    city: text(100).describe('City'),
    state: text(100).describe('State or province code, e.g. NY'),
    country: text(56).describe('Country, e.g. USA or US'),
    zip: text(20).describe('Postal code'),
    },
    required('an object'),
  )
  .describe('Where the order ships to');

export const canonicalOrderLineSchema = z
  .object(
    {
    sku: text(100).describe('Variant SKU as the catalog knows it'),
    quantity: z.number(required('a number')).int('must be a whole number').min(1).max(1000).describe('Units ordered'),
    unit_price: money.optional().describe('Price per unit charged by the channel; the catalog price when omitted'),
    },
    required('an object'),
  )
  .describe('One line of the order');

export const PAYMENT_METHODS = ['card', 'paypal', 'gift_card'] as const;

/**
 * The one shape every channel's order is turned into before it enters the ledger: the body of
 * `POST /api/orders`, and what the storefront and CSV connectors produce.
 */
export const canonicalOrderSchema = z
  .object(
    {
    channel: z
      .string(required('a string'))
      .trim()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/, 'must be a short lowercase channel name such as shopify, woocommerce or api')
      .describe('Sales channel the order came from'),
    external_id: text(100).describe("The order's id in that channel; (channel, external_id) is unique"),
    placed_at: timestamp.optional().describe('When the buyer placed it; now when omitted'),
    currency: z
      .string(required('a string'))
      .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD')
      .optional()
      .describe('ISO 4217 currency; USD when omitted'),
    customer: z
      .object(
        {
        email: z.string(required('a string')).trim().email('must be an email address').max(200).describe('Identifies the customer'),
        first_name: text(100).describe('Given name'),
        last_name: text(100).describe('Family name'),
        phone: optionalText(40).describe('Phone number'),
        created_at: timestamp.optional().describe("When the buyer's storefront account was created"),
        },
        required('an object'),
      )
      .describe('The buyer; matched to an existing customer by email'),
    shipping_address: canonicalAddressSchema,
    service_level: z
      .enum(SERVICE_LEVELS, required('one of economy, standard, expedited, overnight'))
      .optional()
      .describe('Shipping speed the buyer chose: economy, standard, expedited or overnight; standard when omitted'),
    lines: z.array(canonicalOrderLineSchema, required('an array')).min(1, 'must have at least one line').max(100).describe('Ordered items'),
    payment: z
      .object(
        {
        method: z.enum(PAYMENT_METHODS, required('one of card, paypal, gift_card')).describe('card, paypal or gift_card'),
        payment_method_id: optionalText(100).describe("An existing payment method of this customer, e.g. gift_card_1234567"),
        amount: money.optional().describe('Amount charged; must equal the order total when given'),
        },
        required('an object'),
      )
      .describe('How the order was paid'),
    client: z
      .object(
        {
        browser_ip: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }).optional().describe('Buyer IP address'),
        user_agent: optionalText(500).describe('Browser user agent'),
        device_id: optionalText(200).describe('Device fingerprint from the storefront'),
        account_created_at: timestamp.optional().describe("When the buyer's storefront account was created"),
        },
        required('an object'),
      )
      .optional()
      .describe('What the storefront saw of the buyer; used for risk scoring'),
    },
    { error: () => 'the body must be a JSON object' },
  )
  .describe('An order from any sales channel');

export type CanonicalOrder = z.infer<typeof canonicalOrderSchema>;

export interface InputIssue {
  path: string;
  message: string;
}

/** Parses a request body into a canonical order, or lists every bad field by its dotted path. */
export function parseCanonicalOrder(
  body: unknown,
): { ok: true; order: CanonicalOrder } | { ok: false; issues: InputIssue[] } {
  const result = canonicalOrderSchema.safeParse(body);
  if (result.success) return { ok: true, order: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({
      path: i.path.length ? i.path.map(String).join('.') : '(body)',
      message: i.message,
    })),
  };
}
