/**
 * A Web API failure in words an operator can act on. The SDK's own message for a network
 * failure is "A request error occurred: fetch failed"; the reason (ECONNREFUSED, a timeout,
 * a DNS failure) sits in the wrapped error's cause.
 */
export function slackErrorText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { message?: unknown; original?: unknown; cause?: unknown };
    const text = typeof e.message === 'string' ? e.message : String(current);
    if (!parts.some((p) => p.includes(text))) parts.push(text);
    current = e.original ?? e.cause;
  }
  return parts.join(' ← ');
}
