/** Arguments of a rule: plain values an operator can change in configuration. */
export type RuleArgs = Record<string, number | string | boolean>;

/** What a rule says when it fires. */
export interface RuleHit {
  /** A sentence a person can read: what was seen and against which limit. */
  reason: string;
  /** 0..1, how strongly the evidence points at trouble; 1 when omitted. */
  strength?: number;
  /** The numbers behind the reason, for the flag's explanation. */
  evidence?: Record<string, unknown>;
}

/**
 * A configurable check with typed arguments, in the manner of a configurable operation: the
 * same `check` can be instantiated with different args and weights. `check` is called once per
 * subject with the subject's features; it returns a hit, or null when the rule does not fire.
 * `weight` (0..1) is how much one firing of the rule is worth on its own.
 */
export interface AnomalyRule<F, A extends RuleArgs = RuleArgs> {
  code: string;
  description: string;
  args: A;
  weight: number;
  check(features: F, args: A): RuleHit | null;
}

export function defineRule<F, A extends RuleArgs>(rule: AnomalyRule<F, A>): AnomalyRule<F, A> {
  if (!/^[a-z][a-z0-9_]*$/.test(rule.code)) throw new Error(`rule code "${rule.code}" must be snake_case`);
  if (!(rule.weight >= 0 && rule.weight <= 1)) throw new Error(`rule ${rule.code}: weight must be between 0 and 1`);
  return rule;
}

/** A copy of `rule` with some arguments or the weight replaced (configuration overrides). */
export function configureRule<F, A extends RuleArgs>(
  rule: AnomalyRule<F, A>,
  overrides: { args?: Partial<A>; weight?: number },
): AnomalyRule<F, A> {
  return defineRule({
    ...rule,
    args: { ...rule.args, ...overrides.args } as A,
    weight: overrides.weight ?? rule.weight,
  });
}
