import { SmsSendError, type SmsSender } from '../../notifications/sms-sender.js';
import type { CircuitBreaker } from '../circuit-breaker.js';

/**
 * Texts behind `breaker`: a timeout, 429 or 5xx counts towards opening it, a refusal of one
 * message (a bad number, a STOP) does not. While it is open, `send` throws CircuitOpenError,
 * which delivery treats as retryable.
 */
export function guardSmsSender(sender: SmsSender, breaker: CircuitBreaker): SmsSender {
  return {
    kind: sender.kind,
    send: (sms) => breaker.run(() => sender.send(sms), (err) => !(err instanceof SmsSendError) || err.retryable),
  };
}
