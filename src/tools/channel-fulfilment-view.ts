import type { OrderShipment } from '../domain/orders/order-repository.js';

/** Whether the storefront has the shipment's tracking (pushed) or the push keeps failing, and why. */
export const channelFulfilmentView = (c: NonNullable<OrderShipment['channelFulfilment']>) => ({
  status: c.status,
  attempts: c.attempts,
  last_error: c.lastError,
  pushed_at: c.pushedAt ? c.pushedAt.toISOString() : null,
});
