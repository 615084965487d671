import { formatOptions, money, type ToolOutcome } from './offline-action-words.js';
import { offlineReply } from './offline-templates.js';

interface InboxItem {
  kind: string;
  id: string;
  title: string;
  detail: string;
  waiting: string;
  since: string;
  order_id?: string;
}

interface LowStockItem {
  sku: string;
  product: string;
  options: Record<string, string>;
  location: string;
  available: number;
  on_hand: number;
  reserved: number;
  daily_velocity: number;
  days_of_cover: number | null;
}

const DAY_MS = 86_400_000;

const inboxLine = (i: InboxItem) =>
  offlineReply('inbox_line', { ref: i.order_id && !i.title.includes(i.order_id) ? `${i.order_id}: ` : '', title: i.title, detail: i.detail ? ` (${i.detail})` : '', waiting: i.waiting });

function lowStockLine(i: LowStockItem): string {
  const cover =
    i.days_of_cover === null
      ? offlineReply('cover_unknown')
      : offlineReply('cover_days', { days: i.days_of_cover, velocity: i.daily_velocity });
  return offlineReply('low_stock_line', {
    product: i.product,
    options: Object.keys(i.options ?? {}).length ? ` (${formatOptions(i.options)})` : '',
    sku: i.sku,
    location: i.location,
    available: i.available,
    on_hand: i.on_hand,
    reserved: i.reserved,
    cover,
  });
}

/** What runs out first, with days of cover where the forecast can tell. */
export function lowStockReply(low: ToolOutcome): string {
  if (!low.ok) return offlineReply('tool_failed', { error: low.error });
  const items = (low.data.items ?? []) as LowStockItem[];
  if (items.length === 0) return offlineReply('low_stock_none');
  return offlineReply('low_stock_reply', { count: items.length, lines: items.map(lowStockLine).join('\n') });
}

/** The approvals waiting for a decision, oldest first. */
export function approvalsReply(inbox: ToolOutcome): string {
  if (!inbox.ok) return offlineReply('tool_failed', { error: inbox.error });
  const items = (inbox.data.items ?? []) as InboxItem[];
  if (items.length === 0) return offlineReply('approvals_none');
  return offlineReply('approvals_reply', { count: items.length, lines: items.map((i) => `- ${i.id}: ${inboxLine(i)}`).join('\n') });
}

const BRIEFING_SECTIONS = [
  ['held_order', 'briefing_held'],
  ['exception', 'briefing_exceptions'],
  ['sla_breach', 'briefing_sla'],
  ['approval', 'briefing_approvals'],
  ['flag', 'briefing_flags'],
  ['failed_job', 'briefing_failed_jobs'],
] as const;

/** One part of the daily briefing: a heading, an optional note, and its items as lines. */
export interface BriefingSection {
  heading: string;
  note?: string;
  lines: string[];
}

/**
 * The day's briefing as sections: each kind of waiting work with its items, then low stock. The
 * assistant's reply and the morning post in the alerts channel are both rendered from it.
 */
export function briefingSections(inbox: ToolOutcome, low: ToolOutcome | undefined, now: Date): BriefingSection[] {
  const items = (inbox.data?.items ?? []) as InboxItem[];
  const sections: BriefingSection[] = BRIEFING_SECTIONS.map(([kind, title]) => {
    const of = items.filter((i) => i.kind === kind);
    const heading = offlineReply(title, { count: of.length });
    const lines = of.map(inboxLine);
    if (kind !== 'flag') return { heading, lines };
    const recent = of.filter((i) => now.getTime() - Date.parse(i.since) <= DAY_MS).length;
    return { heading, note: offlineReply('briefing_flags_recent', { recent }), lines };
  });
  const lowItems = low?.ok ? ((low.data.items ?? []) as LowStockItem[]) : [];
  // The stock line template is written as a list item for the stock reply; a section adds its own bullet.
  sections.push({ heading: offlineReply('briefing_low_stock', { count: lowItems.length }), lines: lowItems.map((i) => lowStockLine(i).replace(/^- /, '')) });
  return sections;
}

/** The day's briefing as the assistant's plain-text reply. */
export function briefingReply(inbox: ToolOutcome, low: ToolOutcome | undefined, now: Date): string {
  if (!inbox.ok) return offlineReply('tool_failed', { error: inbox.error });
  const text = briefingSections(inbox, low, now).map((s) => {
    const note = s.note ?? (s.lines.length === 0 ? offlineReply('briefing_none') : '');
    return `${s.heading}${note ? ` ${note}` : ''}${s.lines.map((l) => `\n- ${l}`).join('')}`;
  });
  return offlineReply('briefing_reply', { sections: text.join('\n') });
}

/** A customer found by email: who they are and their orders. */
export function customerLookupReply(email: string, profile: ToolOutcome, listed: ToolOutcome): string {
  const name = profile.ok ? `${profile.data.name?.first_name ?? ''} ${profile.data.name?.last_name ?? ''}`.trim() : '';
  const orders = listed.ok ? ((listed.data.orders ?? []) as { order_id: string; status: string; total: number; hold_reason?: string; items?: string[] }[]) : [];
  const lines = orders.map((o) =>
    offlineReply('customer_order_line', { order_id: o.order_id, status: o.status, total: money(o.total), items: (o.items ?? []).join(', '), hold: o.hold_reason ? ` — held: ${o.hold_reason}` : '' }),
  );
  return offlineReply('customer_lookup', {
    name: name || email,
    email,
    customer_id: String(profile.data?.customer_id ?? listed.input.customer_id ?? ''),
    count: orders.length,
    lines: lines.length ? lines.join('\n') : offlineReply('no_orders', { filter: 'for this customer' }),
  });
}

/** What staff need beside an order's status: why it is held and what the risk flags say. */
export function opsStatusExtras(order: any, flags: ToolOutcome | undefined): string {
  const parts: string[] = [];
  if (order.hold_reason) parts.push(offlineReply('ops_hold_reason', { reason: order.hold_reason }));
  const list = flags?.ok && Array.isArray(flags.data) ? (flags.data as { rule: string; status: string; score: number | null; reasons: string[] }[]) : [];
  for (const f of list) {
    parts.push(offlineReply('ops_flag_line', { rule: f.rule, status: f.status, score: f.score === null || f.score === undefined ? '' : ` ${f.score}`, reasons: (f.reasons ?? []).join('; ') }));
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}
