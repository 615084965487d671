import { getJson } from '../api-client.js';
import { links } from '../console-links.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';

interface OrderItem {
  id: string;
  status: string;
  customer_name: string | null;
  email: string | null;
  total: number;
  currency: string;
  placed_at: string;
  lines: { sku: string | null }[];
  tracking_numbers: string[];
}

/** Orders matching an order number, email, name, SKU or tracking number (GET /api/orders?q=). */
export async function renderSearchPage(root: HTMLElement, q: string): Promise<void> {
  const page = await getJson<{ items: OrderItem[]; next_cursor: string | null }>(`/api/orders?limit=50&q=${encodeURIComponent(q)}`);
  root.replaceChildren(
    h('h1', {}, `Orders matching “${q}”`),
    page.items.length === 0
      ? h('p', { class: 'empty' }, 'No order matches.')
      : h('table', { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Matching orders'),
          h('thead', {}, h('tr', {}, ...['Order', 'Customer', 'Status', 'SKUs', 'Tracking', 'Placed'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...page.items.map((o) => h('tr', {},
            h('td', {}, h('a', { href: links.order(o.id) }, o.id)),
            h('td', {}, o.customer_name ?? o.email ?? ''),
            h('td', {}, o.status.replace(/_/g, ' ')),
            h('td', {}, o.lines.map((l) => l.sku).filter(Boolean).join(', ')),
            h('td', {}, o.tracking_numbers.join(', ')),
            h('td', {}, h('time', { datetime: o.placed_at, title: humanDate(o.placed_at) }, humanAge(o.placed_at))),
          ))),
        ),
  );
}
