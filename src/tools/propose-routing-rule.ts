import { routingSettingsFromConfig } from '../config/routing-settings-from-config.js';
import { parseRoutingRuleInput, routingRuleInputSchema } from '../domain/routing/routing-rule.js';
import { RoutingRuleInputError } from '../domain/routing/routing-rule-input-error.js';
import { createRoutingRule, listRoutingRules } from '../domain/routing/routing-rule-repository.js';
import { simulateRouting } from '../domain/routing/simulate-routing.js';
import { defineTool } from './tool.js';

const PREVIEW_DAYS = 30;
const PREVIEW_ORDERS = 10;

export const proposeRoutingRule = defineTool({
  name: 'propose_routing_rule',
  description:
    'Drafts a routing rule from what staff asked for (for example "ship everything to Canada from Toronto" becomes when {country: [CA]} then {eligibleLocations: [<the Toronto location id>]}). Conditions (all must hold): country, region, postalPrefix, channel, orderValueMin/Max, serviceLevel, variantTagsAny/All, customerTags. Outcome: eligibleLocations, excludedLocations, strategy (priority, nearest, lowest_cost, fewest_shipments), maxSplits. Rules apply top to bottom by position; the first matching rule that sets a field wins, exclusions add up. Always waits for approval: the approval shows how the last 30 days of orders would have routed under it. Applied only once approved.',
  tier: 'approval',
  input: routingRuleInputSchema,
  async preview(args, ctx) {
    const parsed = parseRoutingRuleInput(args);
    if (!parsed.ok) throw new RoutingRuleInputError(parsed.issues);
    const current = await listRoutingRules(ctx.db);
    const position = parsed.rule.position ?? Math.max(0, ...current.map((r) => r.position)) + 10;
    const draft = {
      id: parsed.rule.id ?? 'proposed-rule',
      position,
      name: parsed.rule.name,
      enabled: parsed.rule.enabled,
      conditions: parsed.rule.when,
      outcome: parsed.rule.then,
      source: 'api' as const,
    };
    const sim = await simulateRouting(ctx.db, {
      rules: [...current, draft],
      sinceDays: PREVIEW_DAYS,
      now: new Date(),
      settings: routingSettingsFromConfig(ctx.config),
    });
    const t = sim.totals;
    const where = (r: { locations: Record<string, string[]>; refused: string | null }) =>
      r.refused ? `refused: ${r.refused}` : Object.entries(r.locations).map(([sku, l]) => `${sku}@${l.join('+')}`).join(', ');
    return {
      summary: `add routing rule "${draft.name}" at position ${position}: of ${sim.orders} orders in the last ${PREVIEW_DAYS} days, ${t.changed} would route differently (split orders ${t.splitsBefore} -> ${t.splitsAfter}, shipping ${t.costBefore.toFixed(2)} -> ${t.costAfter.toFixed(2)}, promised earlier ${t.promisedEarlier} / later ${t.promisedLater}, refused ${t.refusedBefore} -> ${t.refusedAfter})`,
      changes: [
        { field: 'routing rule', before: null, after: { position, when: draft.conditions, then: draft.outcome } },
        ...sim.changed.slice(0, PREVIEW_ORDERS).map((c) => ({
          field: `order ${c.orderId}`,
          before: `${where(c.before)}; promised ${c.before.promisedDeliveryAt?.slice(0, 10) ?? 'n/a'}`,
          after: `${where(c.after)}; promised ${c.after.promisedDeliveryAt?.slice(0, 10) ?? 'n/a'}`,
        })),
      ],
    };
  },
  async run(args, ctx) {
    const rule = await createRoutingRule(ctx.db, args, ctx.actor);
    return { rule };
  },
});
