/** Seconds a client is told to wait (Retry-After) while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a connection that could not be opened or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server shutting down, starting up or gone: class 08 is checked apart. */
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
// What `pg` throws without a code when the pool times out or a client's socket ends.
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
];

/**
 * Whether an error means the database is out of reach for now (down, restarting, refusing
 * connections, out of connection slots) rather than that the request or the code is wrong: the
 * caller should try again later, so the API answers 503, not 500. Follows `cause` and the parts
 * of an AggregateError, as drivers and domain code wrap what the socket threw.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SERVER_GONE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (DRIVER_MESSAGES.some((m) => err.message.startsWith(m))) return true;
  if (err instanceof AggregateError && err.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable((err as { cause?: unknown }).cause, depth + 1);
}
