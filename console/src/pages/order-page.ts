import { actionForm, type ActionSpec } from '../action-form.js';
import { getJson, type Me } from '../api-client.js';
import { links } from '../console-links.js';
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
interface OrderRecord {
  routing: { locations: string[]; promised_delivery_at: string | null; trigger: string; decided_at: string; explanation: string[]; earlier: { at: string; trigger: string; locations: string[] }[] } | null;
  risk: { score: number; decision: string; scored_at: string; reasons: { code: string; reason: string; points: number }[] } | null;
  flags: { id: number; title: string; severity: string; status: string; reasons: string[]; first_seen_at: string }[];
  approvals: { id: string; tool: string; status: string; summary: string; created_at: string }[];
  history: { at: string; source: string; actor: string | null; text: string }[];
}
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

interface TimelineEntry { at: string; text: string; actor: string | null }

/** Everything that happened, newest first: the ledger's history, carrier scans and messages sent. */
function timeline(o: Order, notes: Notification[], record: OrderRecord): TimelineEntry[] {
  const entries: TimelineEntry[] = record.history.map((e) => ({ at: e.at, text: e.text, actor: e.actor }));
  if (o.placed_at) entries.push({ at: o.placed_at, text: `Placed on ${o.channel}`, actor: null });
  for (const p of o.payments) if (p.created_at) entries.push({ at: p.created_at, text: `${p.kind === 'refund' ? 'Refunded' : 'Paid'} ${p.amount.toFixed(2)} ${o.currency}`, actor: null });
  for (const s of o.shipments) {
    if (s.shipped_at) entries.push({ at: s.shipped_at, text: `Shipped with ${s.carrier ?? 'a carrier'}${s.tracking_number ? ` (${s.tracking_number})` : ''}`, actor: null });
    for (const e of s.events) if (e.occurred_at) entries.push({ at: e.occurred_at, text: `${e.status}${e.detail ? `: ${e.detail}` : ''}${e.location ? `, ${e.location}` : ''}`, actor: s.carrier });
  }
  for (const n of notes) entries.push({ at: n.sent_at ?? n.created_at, text: `${n.channel === 'sms' ? 'Text' : 'Email'} "${n.subject}" ${n.status}`, actor: null });
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

const CLOSED = new Set(['cancelled', 'delivered', 'return requested', 'exchange requested']);
const SHIPPED = new Set(['shipped', 'partially_shipped', ...CLOSED]);

/** The actions that fit the order's status; each is the approval it is in Slack. */
function orderActions(o: Order, rerender: () => Promise<void>): HTMLElement[] {
  const path = (action: string) => `/api/orders/${encodeURIComponent(o.id)}/${action}`;
  const specs: ActionSpec[] = [];
  if (o.status === 'on_hold') specs.push({ id: 'release', label: 'Release', path: path('release'), field: { name: 'note', label: 'Why the hold is lifted', required: false }, onDone: rerender });
  else if (!SHIPPED.has(o.status)) specs.push({ id: 'hold', label: 'Hold', path: path('hold'), field: { name: 'reason', label: 'Why hold it', required: true }, onDone: rerender });
  if (!SHIPPED.has(o.status)) {
    specs.push({ id: 'reroute', label: 'Reroute', path: path('reroute'), field: { name: 'reason', label: 'Why reroute it', required: true }, onDone: rerender });
    specs.push({ id: 'cancel', label: 'Cancel and refund', path: path('cancel'), field: { name: 'reason', label: 'Why cancel it', required: true }, onDone: rerender });
  }
  return specs.map(actionForm);
}

function routingSection(r: OrderRecord['routing']): (HTMLElement | string)[] {
  if (!r) return [h('p', { class: 'empty' }, 'Not routed yet.')];
  return [
    h('p', {}, `Ships from ${r.locations.join(' + ') || 'nowhere yet'}`, r.promised_delivery_at ? `, promised by ${humanDate(r.promised_delivery_at)}` : '', ` (decided ${humanAge(r.decided_at)}, ${r.trigger}).`),
    h('details', {}, h('summary', {}, 'Why it goes there'), h('pre', { class: 'explain' }, r.explanation.join('\n'))),
    ...(r.earlier.length ? [h('p', { class: 'muted' }, `Earlier: ${r.earlier.map((e) => `${e.locations.join(' + ')} (${e.trigger}, ${humanAge(e.at)})`).join('; ')}`)] : []),
  ];
}

function riskSection(record: OrderRecord): (HTMLElement | string)[] {
  const out: (HTMLElement | string)[] = [];
  if (record.risk) {
    out.push(h('p', {}, `Risk score ${record.risk.score} (${record.risk.decision}), ${humanAge(record.risk.scored_at)}.`));
    if (record.risk.reasons.length) out.push(h('ul', { class: 'reasons' }, ...record.risk.reasons.map((r) => h('li', {}, `${r.reason} (+${r.points})`))));
  }
  for (const f of record.flags) {
    out.push(h('p', {}, h('span', { class: `kind kind-flag` }, `${f.severity} flag, ${f.status}`), ' ', f.title, h('span', { class: 'muted' }, ` · ${f.reasons.join('; ')}`)));
  }
  return out.length ? out : [h('p', { class: 'empty' }, 'No risk signals.')];
}

/**
 * One order: customer, lines with SKU, payments, where it ships from and why, risk, shipments with
 * tracking, messages sent, approvals, its full timeline, and the actions a person may take.
 */
export async function renderOrderPage(root: HTMLElement, id: string, me: Me): Promise<void> {
  const { order: o } = await getJson<{ order: Order }>(`/api/orders/${encodeURIComponent(id)}`);
  const rerender = () => renderOrderPage(root, id, me);
  const [record, notes, customer] = await Promise.all([
    getJson<OrderRecord>(`/api/orders/${encodeURIComponent(o.id)}/record`),
    getJson<{ notifications: Notification[] }>(`/api/orders/${encodeURIComponent(o.id)}/notifications`).then((r) => r.notifications).catch(() => []),
    getJson<{ customer: Customer }>(`/api/customers/${encodeURIComponent(o.customer_id)}`).then((r) => r.customer).catch(() => null),
  ]);
  const name = [customer?.name?.first_name, customer?.name?.last_name].filter(Boolean).join(' ') || o.email || o.customer_id;
  const money = (n: number) => `${n.toFixed(2)} ${o.currency}`;
  const actions = me.permissions.includes('act') ? orderActions(o, rerender) : [];
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
    ...(actions.length ? [h('h2', {}, 'Actions'), h('div', { class: 'action-list' }, ...actions)] : []),
    h('h2', {}, 'Lines'),
    table('Lines', ['SKU', 'Item', 'Qty', 'Price'], o.lines.map((l) => [l.sku ? h('a', { href: links.stock(l.sku) }, l.sku) : '—', l.name, String(l.quantity), money(l.price)])),
    h('h2', {}, 'Routing'),
    ...routingSection(record.routing),
    h('h2', {}, 'Risk'),
    ...riskSection(record),
    h('h2', {}, 'Payments'),
    table('Payments', ['Kind', 'Amount', 'When'], o.payments.map((p) => [p.kind, money(p.amount), when(p.created_at)])),
    h('h2', {}, 'Shipments'),
    table('Shipments', ['Status', 'Carrier', 'Tracking', 'Shipped', 'Delivered'],
      o.shipments.map((s) => [s.status.replace(/_/g, ' '), [s.carrier, s.service].filter(Boolean).join(' ') || '—', s.tracking_number ?? '—', when(s.shipped_at), when(s.delivered_at)])),
    h('h2', {}, 'Notifications sent'),
    table('Notifications', ['Message', 'To', 'Status', 'When'], notes.map((n) => [n.subject, `${n.channel}: ${n.recipient}`, n.status, when(n.sent_at ?? n.created_at)])),
    h('h2', {}, 'Approvals'),
    table('Approvals', ['Action', 'Status', 'Asked'], record.approvals.map((a) => [h('a', { href: links.approval(a.id) }, a.summary), a.status, when(a.created_at)])),
    h('h2', {}, 'Timeline'),
    h('ol', { class: 'timeline' }, ...timeline(o, notes, record).map((e) =>
      h('li', {}, h('time', { datetime: e.at, title: humanDate(e.at) }, humanAge(e.at)), ' ', e.text, e.actor ? h('span', { class: 'muted' }, ` · ${e.actor}`) : null))),
  );
}
