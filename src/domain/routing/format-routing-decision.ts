import type { RoutingExplanation } from './decide-routing.js';
import type { StoredRoutingDecision } from './routing-decision-repository.js';

const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

/** A routing explanation as lines of text for a terminal, a chat reply or a tool result. */
export function formatRoutingExplanation(e: RoutingExplanation): string[] {
  const out: string[] = [];
  out.push(`strategy: ${e.strategy} (${e.strategySummary}; from ${e.outcome.strategyFrom}), service level ${e.serviceLevel}, split cap ${e.outcome.maxSplits} (from ${e.outcome.maxSplitsFrom})`);
  if (e.forcedLocations) out.push(`forced locations: ${e.forcedLocations.join(', ')}`);
  const matched = e.rules.filter((r) => r.matched);
  out.push(matched.length ? 'rules matched:' : 'rules matched: none (defaults apply)');
  for (const r of matched) out.push(`  #${r.position} ${r.id} "${r.name}": ${r.why.join('; ')}`);
  const skipped = e.rules.filter((r) => !r.matched);
  if (skipped.length) out.push(`rules not matched: ${skipped.map((r) => `${r.id} (${r.why.join('; ')})`).join(', ')}`);
  if (e.outcome.excludedLocations.length) out.push(`excluded: ${e.outcome.excludedLocations.join(', ')}`);
  out.push('candidates:');
  for (const c of e.candidates) {
    const stock = c.stock.map((s) => `${s.sku} ${s.available}/${s.wanted}`).join(', ');
    const dist = c.distanceKm === null ? 'distance unknown' : `${c.distanceKm} km`;
    const cost = c.quote ? `${money(c.quote.amount, c.quote.currency)}${c.quote.estimate ? ' (estimate)' : ''}, ${c.quote.transitDays ?? '?'} d` : 'no quote';
    const state = c.eligible ? `rank ${c.rank}${c.shipsAll ? ', ships all' : ''}` : `refused: ${c.refusals.join('; ')}`;
    out.push(`  ${c.locationId}: ${state}; stock ${stock}; ${dist}; ${cost}${c.limits.length ? `; limits: ${c.limits.join('; ')}` : ''}`);
  }
  out.push(`winner: ${e.winner.locations.join(' + ') || 'none'}: ${e.winner.why}`);
  for (const p of e.parts) {
    const lines = p.lines.map((l) => `${l.quantity} x ${l.sku}${l.backordered ? ` (+${l.backordered} backordered)` : ''}`).join(', ');
    out.push(`  part ${p.locationId}: ${lines}; ${p.weightGrams} g; ${money(p.quote.amount, p.quote.currency)}${p.quote.estimate ? ' (rate-card estimate)' : ` ${p.quote.carrier} ${p.quote.service}`}; ships ${p.shipsOn}${p.afterCutoff ? ' (after cut-off)' : ''}, arrives ${p.deliversOn}`);
  }
  out.push(`total shipping ${money(e.totalCost, e.costCurrency)}${e.estimated ? ' (estimated)' : ''}; promised by ${e.promisedDeliveryAt ?? 'n/a'}`);
  return out;
}

/** The latest decision in full and the earlier ones in one line each. */
export function formatRoutingDecisions(orderId: string, decisions: StoredRoutingDecision[]): string {
  if (decisions.length === 0) return `order ${orderId} has no routing decision`;
  const [latest, ...earlier] = decisions;
  const out = [`order ${orderId}: latest decision #${latest!.id} (${latest!.trigger}, ${latest!.createdAt}, by ${latest!.actor})`];
  out.push(...formatRoutingExplanation(latest!.explanation).map((l) => `  ${l}`));
  if (earlier.length) out.push('previous decisions:');
  for (const d of earlier) {
    out.push(`  #${d.id} ${d.trigger} ${d.createdAt}: ${d.strategy} -> ${d.explanation.winner.locations.join(' + ')}; promised ${d.promisedDeliveryAt ?? 'n/a'}`);
  }
  return out.join('\n');
}
