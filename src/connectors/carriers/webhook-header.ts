import type { WebhookRequest } from '../../domain/shipping/carrier.js';

/** One header of a webhook request by its lower-case name; the first when it came several times. */
export function webhookHeader(request: WebhookRequest, name: string): string | undefined {
  const v = request.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
