import type { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';

/** A query string that failed its schema; the error handler answers 400 with `issues` naming each parameter. */
export class RequestQueryInvalid extends DomainError {
  constructor(readonly issues: { path: string; message: string }[]) {
    super('invalid', 'invalid_query', `the query is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }
}

/** Parses a route's query parameters with its schema, or throws RequestQueryInvalid. */
export function parseRequestQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  throw new RequestQueryInvalid(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message })));
}
