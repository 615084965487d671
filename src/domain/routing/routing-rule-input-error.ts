import { DomainError } from '../domain-error.js';
import type { RuleIssue } from './routing-rule.js';

/** A routing rule that does not validate; each issue names the field (when.country, then.strategy...). HTTP 400. */
export class RoutingRuleInputError extends DomainError {
  constructor(readonly issues: RuleIssue[], prefix = '') {
    super('invalid', 'invalid_routing_rule', `${prefix}${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'RoutingRuleInputError';
  }
}
