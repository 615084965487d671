import type { NotificationTrigger } from './workflow.js';

/** One carrier scan as a customer may see it. */
export interface TimelineEvent {
  status: string;
  detail: string;
  location: string;
  /** ISO timestamp. */
  occurred_at: string;
}

export interface ShipmentContext {
  id: number;
  carrier: string | null;
  service: string | null;
  tracking_number: string | null;
  /** The carrier's own tracking page for a known carrier, otherwise our tracking page. */
  carrier_tracking_url: string | null;
  status: string;
  /** ISO timestamps or null. */
  shipped_at: string | null;
  expected_delivery_at: string | null;
  delivered_at: string | null;
  latest_event: TimelineEvent | null;
  /** Oldest first. */
  events: TimelineEvent[];
  /** Names and quantities of the lines in this parcel. */
  items: { name: string; quantity: number }[];
}

/**
 * What conditions test and templates read: loaded fresh from the ledger each time a run takes a
 * step, so "wait 2 h, then if not yet out for delivery" sees the shipment as it is then. Field
 * names are snake_case, as Liquid templates write them.
 */
export interface NotificationContext {
  trigger: NotificationTrigger;
  store: { name: string; support_email: string; public_url: string; timezone: string };
  customer: {
    id: string;
    first_name: string;
    last_name: string;
    email: string;
    phone: string | null;
    /** Orders this customer has placed, this one included. */
    order_count: number;
    first_order: boolean;
  };
  order: {
    id: string;
    /** The number the customer knows (#W1234567 or the channel's order name). */
    number: string;
    status: string;
    created_at: string;
    currency: string;
    total: string;
    promised_delivery_at: string | null;
    shipping_address: { name: string; address1: string; address2: string; city: string; state: string; zip: string; country: string } | null;
    lines: { name: string; sku: string; quantity: number; price: string; options: string }[];
  };
  /** The shipment the trigger is about (null for order-level triggers). */
  shipment: ShipmentContext | null;
  shipments: ShipmentContext[];
  /** What happened, for delay and exception wording. */
  event: {
    /** delayed: promise_passed | carrier_delay | later_estimate; exception: address | damaged | returned_to_sender | other. */
    kind: string | null;
    detail: string | null;
  };
  refund: { amount: string; currency: string } | null;
  links: {
    /** The public tracking page of this order (signed). */
    tracking_page: string;
    /** The one-click unsubscribe page for this customer and category (signed). */
    unsubscribe: string;
    /** mailto: the support address with the order number in the subject. */
    support: string;
  };
}
