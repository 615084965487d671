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
    name: optionalText(200).describe('Recipient name, when it differs from the customer'),
    company: optionalText(200).describe('Company'),
    phone: optionalText(40).describe('Phone number for this address'),
    },
    required('an object'),
  )
  .describe('A postal address');

export const canonicalOrderLineSchema = z
  .object(
    {
    sku: optionalText(100).describe('Variant SKU as the catalog knows it; required unless external_variant_id maps the line'),
    external_variant_id: optionalText(100).describe("The channel's variant id, matched through the channel's variant map"),
    external_line_id: optionalText(100).describe("The channel's id of this line, used when fulfilments are pushed back"),
    title: optionalText(300).describe('Item name as the channel showed it'),
    quantity: z.number(required('a number')).int('must be a whole number').min(1).max(1000).describe('Units ordered'),
    unit_price: money.optional().describe('Price per unit charged by the channel; the catalog price when omitted'),
    total_discount: money.optional().describe('Discount taken off this line, in total'),
    requires_shipping: z.boolean(required('true or false')).optional().describe('False for gift cards, services, digital goods; true when omitted'),
    gift_card: z.boolean(required('true or false')).optional().describe('The line sells a gift card'),
    },
    required('an object'),
  )
  .refine((l) => l.sku !== undefined || l.external_variant_id !== undefined, {
    message: 'needs a sku or an external_variant_id',
    path: ['sku'],
  })
  .describe('One line of the order');

export const canonicalShippingLineSchema = z
  .object(
    {
    title: text(200).describe('Shipping method as the buyer saw it, e.g. "Express (1-2 days)"'),
    code: optionalText(100).describe("The channel's code for the method"),
    price: money.describe('What the buyer paid for shipping'),
    service_level: z
      .enum(SERVICE_LEVELS, required('one of economy, standard, expedited, overnight'))
      .optional()
      .describe('The speed the method promises; read from the title when omitted'),
    carrier: optionalText(100).describe('Carrier named by the method, when it names one'),
    },
    required('an object'),
  )
  .describe('A shipping method the buyer chose and paid for');

export const canonicalDiscountSchema = z
  .object(
    {
    code: optionalText(100).describe('Discount code the buyer entered'),
    title: optionalText(200).describe('Automatic discount name'),
    amount: money.describe('Amount taken off the order'),
    target: z.enum(['order', 'line', 'shipping'], required('one of order, line, shipping')).optional().describe('What it applied to; order when omitted'),
    },
    required('an object'),
  )
  .describe('A discount applied to the order');

export const canonicalTaxLineSchema = z
  .object(
    {
    title: text(100).describe('Tax name, e.g. "NY State Tax"'),
    rate: z.number(required('a number')).min(0).max(1).optional().describe('Rate as a fraction, e.g. 0.08875'),
    amount: money.describe('Tax charged'),
    included: z
      .boolean(required('a boolean'))
      .optional()
      .describe('True when the tax is already inside the line prices (e.g. VAT), so it is not added to the total again'),
    },
    required('an object'),
  )
  .describe('A tax charged on the order');

export const PAYMENT_METHODS = ['card', 'paypal', 'gift_card'] as const;

/**
 * The one shape every channel's order is turned into before it enters the ledger: what the
 * storefront and CSV connectors produce. A storefront's order may lack what we need to ship it
 * (an address, a known SKU); it still enters the ledger, held.
 */
export const channelOrderSchema = z
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
    shipping_address: canonicalAddressSchema
      .optional()
      .describe('Where the order ships to; required when any line requires shipping'),
    billing_address: canonicalAddressSchema.optional().describe('The payer\'s address, compared with the shipping address for risk'),
    shipping_lines: z.array(canonicalShippingLineSchema, required('an array')).max(20).optional().describe('Shipping methods charged'),
    discounts: z.array(canonicalDiscountSchema, required('an array')).max(50).optional().describe('Discounts applied'),
    taxes: z.array(canonicalTaxLineSchema, required('an array')).max(50).optional().describe('Taxes charged'),
    note: optionalText(5000).describe("The buyer's note on the order"),
    tags: z.array(text(100), required('an array')).max(100).optional().describe('Tags the channel put on the order'),
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
        captured: z
          .boolean(required('a boolean'))
          .optional()
          .describe('False when the channel has not taken the money yet (pending, voided, expired); such an order is held'),
        status: optionalText(40).describe("The channel's own payment status, e.g. pending; named in the hold reason"),
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
        accept_language: optionalText(200).describe('Accept-Language the browser sent'),
        avs_result: optionalText(10).describe('Address verification result code from the payment gateway, e.g. Y, N, Z'),
        cvv_result: optionalText(10).describe('Card security code result from the payment gateway, e.g. M, N'),
        },
        required('an object'),
      )
      .optional()
      .describe('What the storefront saw of the buyer; used for risk scoring'),
    },
    { error: () => 'the body must be a JSON object' },
  )
  .describe('An order from any sales channel');

// Also called on a body that failed elsewhere (to name every bad field at once), so it reads defensively.
const needsShipping = (order: { lines?: unknown }) =>
  !Array.isArray(order.lines) || order.lines.some((l) => (l as { requires_shipping?: unknown } | null)?.requires_shipping !== false);

/** The body of `POST /api/orders`: a channel order that can ship as sent. */
export const canonicalOrderSchema = channelOrderSchema.check(
  z.refine((o) => o.shipping_address !== undefined || !needsShipping(o), {
    message: 'is required when a line requires shipping',
    path: ['shipping_address'],
    when: (payload) => {
      const v = payload.value as { shipping_address?: unknown; lines?: unknown } | null;
      return typeof v === 'object' && v !== null && !Array.isArray(v) && v.shipping_address === undefined;
    },
  }),
);

export type CanonicalOrder = z.infer<typeof channelOrderSchema>;

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
