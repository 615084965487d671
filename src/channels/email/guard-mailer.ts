import type { CircuitBreaker } from '../../connectors/circuit-breaker.js';
import type { OutboundMailer } from './outbound-mailer.js';

// 421: the server is closing the channel (overloaded, shutting down).
const SERVICE_NOT_AVAILABLE = 421;

/**
 * SMTP behind `breaker`. Only the server's own unavailability counts (no connection, a timeout, a
 * 421); a reply about one mail (greylisting, no such mailbox) says the server is up. While open,
 * `send` throws CircuitOpenError, which carries no SMTP code and so is retried.
 */
export function guardMailer(mailer: OutboundMailer, breaker: CircuitBreaker): OutboundMailer {
  return {
    kind: mailer.kind,
    send: (mail) =>
      breaker.run(() => mailer.send(mail), (err) => {
        const code = (err as { responseCode?: unknown } | null)?.responseCode;
        return typeof code !== 'number' || code === SERVICE_NOT_AVAILABLE;
      }),
    close: () => mailer.close(),
  };
}
