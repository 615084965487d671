import { DomainError } from '../domain-error.js';

/** The same Idempotency-Key came back with a different request: HTTP 422, nothing runs. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(readonly key: string) {
    super(
      'conflict',
      'idempotency_key_reused',
      `Idempotency-Key "${key}" was already used with a different request body; send a new key for a new request`,
    );
    this.name = 'IdempotencyKeyReusedError';
  }

  override get httpStatus(): number {
    return 422;
  }
}
