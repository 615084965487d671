import { getJson } from '../api-client.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';

interface Order {
  id: string;
  status: string;
  channel: string;
  customer_id: string;
  email: string | null;
  currency: string;
  placed_at: string | null;
  total: number;
  paid: number;
  refunded: number;
  hold_reason: string | null;
  cancel_reason: string | null;
  lines: { sku: string | null; name: string; quantity: number; price: number }[];
  payments: { kind: string; amount: number; created_at: string | null }[];
  shipments: {
    id: number;
    status: string;
    carrier: string | null;
    service: string | null;
    tracking_number: string | null;
    shipped_at: string | null;
    delivered_at: string | null;
    events: { status: string; detail: string | null; location: string | null; occurred_at: string | null }[];
  }[];
}
interface Notification { id: number; template: string; channel: string; recipient: string; subject: string; status: string; created_at: string; sent_at: string | null }
interface Customer { name?: { first_name?: string | null; last_name?: string | null }; email?: string | null }

const when = (iso: string | null) => (iso ? h('time', { datetime: iso, title: humanDate(iso) }, `${humanDate(iso)} (${humanAge(iso)})`) : '—');

function table(caption: string, head: string[], rows: (Node | string)[][]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, `No ${caption.toLowerCase()}.`);
  return h('table', { class: 'list' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

interface TimelineEntry { at: string; text: string }

function timeline(o: Order, notes: Notification[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (o.placed_at) entries.push({ at: o.placed_at, text: `Placed on ${o.channel}` });
  for (const p of o.payments) if (p.created_at) entries.push({ at: p.created_at, text: `${p.kind === 'refund' ? 'Refunded' : 'Paid'} ${p.amount.toFixed(2)} ${o.currency}` });
  for (const s of o.shipments) {
    if (s.shipped_at) entries.push({ at: s.shipped_at, text: `Shipped with ${s.carrier ?? 'a carrier'}${s.tracking_number ? ` (${s.tracking_number})` : ''}` });
    for (const e of s.events) if (e.occurred_at) entries.push({ at: e.occurred_at, text: `${e.status}${e.detail ? `: ${e.detail}` : ''}${e.location ? `, ${e.location}` : ''}` });
    if (s.delivered_at) entries.push({ at: s.delivered_at, text: 'Delivered' });
  }
  for (const n of notes) entries.push({ at: n.sent_at ?? n.created_at, text: `${n.channel === 'sms' ? 'Text' : 'Email'} "${n.subject}" ${n.status}` });
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

/** One order: customer, lines with SKU, payments, shipments with tracking, messages sent and its timeline. */
export async function renderOrderPage(root: HTMLElement, id: string): Promise<void> {
  const { order: o } = await getJson<{ order: Order }>(`/api/orders/${encodeURIComponent(id)}`);
  const [notes, customer] = await Promise.all([
    getJson<{ notifications: Notification[] }>(`/api/orders/${encodeURIComponent(o.id)}/notifications`).then((r) => r.notifications).catch(() => []),
    getJson<{ customer: Customer }>(`/api/customers/${encodeURIComponent(o.customer_id)}`).then((r) => r.customer).catch(() => null),
  ]);
  const name = [customer?.name?.first_name, customer?.name?.last_name].filter(Boolean).join(' ') || o.email || o.customer_id;
  const money = (n: number) => `${n.toFixed(2)} ${o.currency}`;
  root.replaceChildren(
    h('h1', {}, `Order ${o.id}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `status status-${o.status}`, 'data-status': o.status }, o.status.replace(/_/g, ' '))),
      h('dt', {}, 'Customer'), h('dd', {}, name, o.email ? h('span', { class: 'muted' }, ` · ${o.email}`) : null),
      h('dt', {}, 'Placed'), h('dd', {}, when(o.placed_at)),
      h('dt', {}, 'Total'), h('dd', {}, `${money(o.total)} (paid ${money(o.paid)}, refunded ${money(o.refunded)})`),
      o.hold_reason ? h('dt', {}, 'Held because') : null, o.hold_reason ? h('dd', {}, o.hold_reason) : null,
      o.cancel_reason ? h('dt', {}, 'Cancelled because') : null, o.cancel_reason ? h('dd', {}, o.cancel_reason) : null,
    ),
    h('h2', {}, 'Lines'),
    table('Lines', ['SKU', 'Item', 'Qty', 'Price'], o.lines.map((l) => [l.sku ?? '—', l.name, String(l.quantity), money(l.price)])),
    h('h2', {}, 'Payments'),
    table('Payments', ['Kind', 'Amount', 'When'], o.payments.map((p) => [p.kind, money(p.amount), when(p.created_at)])),
    h('h2', {}, 'Shipments'),
    table('Shipments', ['Status', 'Carrier', 'Tracking', 'Shipped', 'Delivered'],
      o.shipments.map((s) => [s.status.replace(/_/g, ' '), [s.carrier, s.service].filter(Boolean).join(' ') || '—', s.tracking_number ?? '—', when(s.shipped_at), when(s.delivered_at)])),
    h('h2', {}, 'Notifications sent'),
    table('Notifications', ['Message', 'To', 'Status', 'When'], notes.map((n) => [n.subject, `${n.channel}: ${n.recipient}`, n.status, when(n.sent_at ?? n.created_at)])),
    h('h2', {}, 'Timeline'),
    h('ol', { class: 'timeline' }, ...timeline(o, notes).map((e) => h('li', {}, h('time', { datetime: e.at, title: humanDate(e.at) }, humanAge(e.at)), ' ', e.text))),
  );
}
