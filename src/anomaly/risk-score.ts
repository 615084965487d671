import type { AnomalyRule, RuleArgs, RuleHit } from './rules/anomaly-rule.js';

export interface FiredRule {
  code: string;
  reason: string;
  /** Points this rule alone would give (weight × strength × 100). */
  points: number;
  evidence?: Record<string, unknown>;
}

export interface RiskAssessment {
  /** 0..100. */
  score: number;
  /** The rules that fired, strongest first. */
  fired: FiredRule[];
}

/**
 * Runs every rule and combines the ones that fire as independent pieces of evidence
 * (noisy-OR): score = 100 × (1 − Π(1 − weight × strength)). One strong rule alone can reach a
 * hold; several weak ones add up without ever passing 100.
 */
export function assessRisk<F>(features: F, rules: readonly AnomalyRule<F, RuleArgs>[]): RiskAssessment {
  const fired: FiredRule[] = [];
  for (const rule of rules) {
    const hit: RuleHit | null = rule.check(features, rule.args);
    if (!hit) continue;
    const strength = Math.max(0, Math.min(1, hit.strength ?? 1));
    fired.push({
      code: rule.code,
      reason: hit.reason,
      points: Math.round(rule.weight * strength * 1000) / 10,
      ...(hit.evidence ? { evidence: hit.evidence } : {}),
    });
  }
  fired.sort((a, b) => b.points - a.points);
  return { score: combineRuleWeights(fired.map((f) => f.points / 100)), fired };
}

/** Noisy-OR of per-rule probabilities, as a 0..100 score with one decimal. */
export function combineRuleWeights(weights: readonly number[]): number {
  let clear = 1;
  for (const w of weights) clear *= 1 - Math.max(0, Math.min(1, w));
  return Math.round((1 - clear) * 1000) / 10;
}
