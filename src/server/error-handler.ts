import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/database-unavailable.js';
import { isDomainError } from '../domain/domain-error.js';

/** The body of every 4xx/5xx answer: a sentence for people, and the fields at fault when known. */
export interface ErrorBody {
  error: string;
  code?: string;
  issues?: { path: string; message: string }[];
}

const BODY_PARSE_ERRORS = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

/**
 * Turns thrown errors into answers: DomainError → its status, bad JSON → 400, the database out of
 * reach → 503 with Retry-After (a retry will do), the rest → 500.
 */
export function errorHandler(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (isDomainError(err)) {
    const issues = (err as { issues?: ErrorBody['issues'] }).issues;
    const body: ErrorBody = { error: err.message, code: err.code, ...(issues ? { issues } : {}) };
    void reply.code(err.httpStatus).send(body);
    return;
  }
  const fastifyErr = err as FastifyError;
  const isBodyParse =
    BODY_PARSE_ERRORS.has(fastifyErr.code) || (err instanceof SyntaxError && fastifyErr.statusCode === 400);
  if (isBodyParse) {
    void reply.code(400).send({
      error: 'the request body is not valid JSON',
      code: 'invalid_json',
      issues: [{ path: '(body)', message: err.message }],
    } satisfies ErrorBody);
    return;
  }
  const status = fastifyErr.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.code(status).send({ error: err.message, code: fastifyErr.code ?? 'bad_request' } satisfies ErrorBody);
    return;
  }
  if (isDatabaseUnavailable(err)) {
    request.log.warn({ err }, 'database unavailable');
    void reply
      .code(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
      .send({ error: 'the database is unavailable; try again shortly', code: 'database_unavailable' } satisfies ErrorBody);
    return;
  }
  request.log.error({ err }, 'request failed');
  void reply.code(500).send({ error: 'internal error', code: 'internal' } satisfies ErrorBody);
}
