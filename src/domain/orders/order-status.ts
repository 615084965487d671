/** The statuses the tau-retail reference writes, kept verbatim so its data round-trips. */
export const RETAIL_STATUSES = [
  'pending',
  'processed',
  'delivered',
  'cancelled',
  'pending (item modified)',
  'return requested',
  'exchange requested',
] as const;

/** Statuses orderops adds for holds, shipping progress and trouble. */
export const OPS_STATUSES = ['on_hold', 'partially_shipped', 'shipped', 'exception'] as const;

export const ORDER_STATUSES = [...RETAIL_STATUSES, ...OPS_STATUSES] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const isOrderStatus = (s: string): s is OrderStatus =>
  (ORDER_STATUSES as readonly string[]).includes(s);

/**
 * Every allowed status change. A status not listed as a source is terminal.
 * Holding keeps the order out of fulfilment; releasing returns it to where picking can resume.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['processed', 'cancelled', 'pending (item modified)', 'on_hold', 'exception'],
  'pending (item modified)': ['processed', 'cancelled', 'on_hold', 'exception'],
  on_hold: ['pending', 'pending (item modified)', 'processed', 'exception', 'cancelled'],
  processed: ['partially_shipped', 'shipped', 'delivered', 'cancelled', 'on_hold', 'exception'],
  partially_shipped: ['shipped', 'delivered', 'exception'],
  shipped: ['delivered', 'exception'],
  exception: ['processed', 'partially_shipped', 'shipped', 'delivered', 'cancelled', 'on_hold'],
  delivered: ['return requested', 'exchange requested'],
  'return requested': [],
  'exchange requested': [],
  cancelled: [],
};
