import { z } from 'zod';
import { SERVICE_LEVELS } from '../shipping/carrier.js';

export const ROUTING_STRATEGIES = ['priority', 'nearest', 'lowest_cost', 'fewest_shipments'] as const;
export type RoutingStrategyCode = (typeof ROUTING_STRATEGIES)[number];

const codes = (what: string) => z.array(z.string().trim().min(1, `must not contain an empty ${what}`)).min(1, 'must list at least one value');
const money = z.number().nonnegative('must not be negative');

/** What an order must look like for the rule to apply; every condition given must hold (AND), a list matches any of its values. */
export const routingConditionsSchema = z
  .strictObject({
    country: codes('country').optional().describe('Destination countries, ISO alpha-2 or as written (US, Canada)'),
    region: codes('region').optional().describe('Destination states or provinces (NY, ON)'),
    postalPrefix: codes('prefix').optional().describe('Destination postal code prefixes (100, M5)'),
    channel: codes('channel').optional().describe('Sales channels (shopify, api)'),
    orderValueMin: money.optional().describe('Order total at least this much'),
    orderValueMax: money.optional().describe('Order total at most this much'),
    serviceLevel: z.array(z.enum(SERVICE_LEVELS)).min(1).optional().describe('Service levels chosen by the buyer'),
    variantTagsAny: codes('tag').optional().describe('Some line carries one of these variant tags'),
    variantTagsAll: codes('tag').optional().describe('The lines together carry every one of these tags'),
    customerTags: codes('tag').optional().describe('The customer carries one of these tags'),
  })
  .refine((c) => c.orderValueMin === undefined || c.orderValueMax === undefined || c.orderValueMin <= c.orderValueMax, {
    message: 'must not exceed orderValueMax',
    path: ['orderValueMin'],
  });
export type RoutingConditions = z.infer<typeof routingConditionsSchema>;

/** What a matching rule decides. */
export const routingOutcomeSchema = z
  .strictObject({
    eligibleLocations: codes('location').optional().describe('Only these locations may ship'),
    excludedLocations: codes('location').optional().describe('These locations may not ship'),
    strategy: z.enum(ROUTING_STRATEGIES).optional().describe('How to pick among the eligible locations'),
    maxSplits: z.number().int('must be a whole number').min(1, 'must be at least 1').max(20).optional().describe('Most parcels the order may split into'),
  })
  .refine((o) => Object.keys(o).length > 0, { message: 'must set at least one of eligibleLocations, excludedLocations, strategy, maxSplits' });
export type RoutingOutcome = z.infer<typeof routingOutcomeSchema>;

/** A rule as the API and the rules file write it. */
export const routingRuleInputSchema = z.strictObject({
  id: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'must be a short lowercase id (letters, digits, - and _)').optional(),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  enabled: z.boolean().default(true),
  position: z.number().int('must be a whole number').min(0).optional(),
  when: routingConditionsSchema.default({}),
  then: routingOutcomeSchema,
});
export type RoutingRuleInput = z.input<typeof routingRuleInputSchema>;

export interface RoutingRule {
  id: string;
  position: number;
  name: string;
  enabled: boolean;
  conditions: RoutingConditions;
  outcome: RoutingOutcome;
  source: 'file' | 'api';
}

export interface RuleIssue {
  path: string;
  message: string;
}

/** Validates one rule; issues name the field by its dotted path (when.orderValueMin, then.strategy). */
export function parseRoutingRuleInput(
  body: unknown,
): { ok: true; rule: z.output<typeof routingRuleInputSchema> } | { ok: false; issues: RuleIssue[] } {
  const result = routingRuleInputSchema.safeParse(body);
  if (result.success) return { ok: true, rule: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: i.path.length ? i.path.map(String).join('.') : '(rule)', message: i.message })),
  };
}
