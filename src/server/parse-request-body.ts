import type { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';

/** A request body that failed its schema; the error handler answers 400 with `issues` naming each field. */
export class RequestBodyInvalid extends DomainError {
  constructor(readonly issues: { path: string; message: string }[]) {
    super('invalid', 'invalid_body', `the request body is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }
}

/** Parses a route's body with its schema, or throws RequestBodyInvalid before anything is written. */
export function parseRequestBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new RequestBodyInvalid(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
}
