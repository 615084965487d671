import { createHash } from 'node:crypto';
import type { Db } from '../db/db.js';
import { DomainError } from '../domain/domain-error.js';
import { countryCode } from '../domain/routing/country-code.js';
import { postalCoordinates } from '../domain/routing/postal-coordinates.js';
import type { GeoPoint, KeyKind, OrderObservation } from './feature-counters.js';

interface OrderRow {
  id: string;
  customer_id: string;
  channel: string;
  status: string;
  placed_at: Date;
  email: string | null;
  customer_email: string;
  address1: string;
  zip: string;
  country: string;
  client: {
    browser_ip?: string;
    user_agent?: string;
    device_id?: string;
    account_created_at?: string;
    avs_result?: string;
    cvv_result?: string;
  } | null;
  billing_address: { country?: string; zip?: string } | null;
  total: string | null;
  pm_id: string | null;
  pm_source: string | null;
  pm_brand: string | null;
  pm_last_four: string | null;
}

const squash = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * An order as the risk counters see it, read from the ledger: its value, the client details the
 * storefront sent, and the keys that can tie accounts together. With no device id, the user
 * agent and IP together stand in for the device (either alone is shared by too many people).
 */
export async function loadOrderObservation(db: Db, orderId: string): Promise<{ observation: OrderObservation; status: string }> {
  const { rows } = await db.query<OrderRow>(
    `SELECT o.id, o.customer_id, o.channel, o.status, o.placed_at, o.email, c.email AS customer_email,
            o.address1, o.zip, o.country, o.client, o.billing_address,
            (SELECT sum(l.price * l.quantity) FROM order_lines l WHERE l.order_id = o.id) AS total,
            pm.id AS pm_id, pm.source AS pm_source, pm.brand AS pm_brand, pm.last_four AS pm_last_four
       FROM orders o
       JOIN customers c ON c.id = o.customer_id
       LEFT JOIN LATERAL (SELECT payment_method_id FROM payments p
                           WHERE p.order_id = o.id AND p.kind = 'payment' ORDER BY p.position LIMIT 1) pay ON true
       LEFT JOIN payment_methods pm ON pm.id = pay.payment_method_id
      WHERE o.id = $1`,
    [orderId],
  );
  const o = rows[0];
  if (!o) throw new DomainError('not_found', 'order_not_found', `order ${orderId} not found`);
  const client = o.client ?? {};
  const keys: Partial<Record<KeyKind, string>> = {};
  if (client.device_id) keys.device = client.device_id;
  else if (client.user_agent && client.browser_ip) keys.device = `ua:${digest(`${client.user_agent}|${client.browser_ip}`)}`;
  if (client.browser_ip) keys.ip = client.browser_ip;
  const email = o.email ?? o.customer_email;
  if (email) keys.email = squash(email);
  if (o.pm_brand && o.pm_last_four) keys.payment = `${o.pm_source}:${squash(o.pm_brand)}:${o.pm_last_four}`;
  else if (o.pm_source === 'gift_card' && o.pm_id) keys.payment = `gift_card:${o.pm_id}`;
  if (o.address1) keys.address = digest(`${squash(o.address1)}|${squash(o.zip)}|${squash(o.country)}`);
  const created = client.account_created_at ? new Date(client.account_created_at) : null;
  return {
    status: o.status,
    observation: {
      orderId: o.id,
      accountId: o.customer_id,
      channel: o.channel,
      at: new Date(o.placed_at),
      valueCents: Math.round(Number(o.total ?? 0) * 100),
      accountCreatedAt: created && !Number.isNaN(created.getTime()) ? created : null,
      keys,
      shipTo: o.address1 ? geoPoint(o.country, o.zip) : null,
      billTo: o.billing_address?.country ? geoPoint(o.billing_address.country, o.billing_address.zip ?? '') : null,
      avsResult: client.avs_result?.trim().toUpperCase() || null,
      cvvResult: client.cvv_result?.trim().toUpperCase() || null,
    },
  };
}

function geoPoint(country: string, zip: string): GeoPoint | null {
  const c = postalCoordinates({ country, zip });
  return c ? { latitude: c.latitude, longitude: c.longitude, country: countryCode(country) ?? squash(country), precise: c.precision === 'postal' } : null;
}
