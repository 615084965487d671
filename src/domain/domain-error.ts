export type DomainErrorType = 'not_found' | 'invalid' | 'conflict' | 'forbidden' | 'insufficient';

const HTTP_STATUS: Record<DomainErrorType, number> = {
  not_found: 404,
  invalid: 400,
  conflict: 409,
  forbidden: 403,
  insufficient: 409,
};

/**
 * An expected failure of a domain operation. `message` is written for the caller (a person, an
 * HTTP client, the model) and names the records involved; `type` picks the transport status;
 * `code` is stable for programs.
 */
export class DomainError extends Error {
  constructor(
    readonly type: DomainErrorType,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.type];
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
