import { DomainError } from '../domain-error.js';
import type { InputIssue } from './canonical-order.js';

/**
 * A well-formed order the ledger cannot take as it stands: an unknown SKU, a payment method
 * that is not the customer's, an amount that does not match the lines. Names the fields so the
 * sender can correct them; HTTP 422.
 */
export class OrderInputError extends DomainError {
  constructor(
    code: string,
    readonly issues: InputIssue[],
  ) {
    super('invalid', code, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'OrderInputError';
  }

  override get httpStatus(): number {
    return 422;
  }
}
