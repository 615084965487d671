import { getJson } from '../api-client.js';
import { h } from '../element.js';
import { stockChart } from '../stock-chart.js';

interface StockLevel {
  sku: string;
  name: string;
  location_id: string;
  location_name: string;
  on_hand: number;
  reserved: number;
  available: number;
  safety_stock: number;
}

const stockLink = (sku: string) => `#/stock?sku=${encodeURIComponent(sku)}`;

/** Stock per variant and location: on hand, reserved, available, and whether it is below its safety stock. */
export async function renderStockPage(root: HTMLElement, sku: string): Promise<void> {
  const query = sku ? `&sku=${encodeURIComponent(sku)}` : '';
  const page = await getJson<{ items: StockLevel[]; next_cursor: string | null }>(`/api/inventory?limit=200${query}`);
  // The SKU as the catalogue spells it (the lookup ignores case).
  const shown = sku ? (page.items[0]?.sku ?? sku) : '';
  const skuInput = h('input', { id: 'stock-sku', name: 'sku', type: 'search', value: sku });
  root.replaceChildren(
    h('h1', {}, shown ? `Stock of ${shown}` : 'Stock'),
    h('form', {
      class: 'inline',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        location.hash = skuInput.value.trim() ? stockLink(skuInput.value.trim()) : '#/stock';
      },
    }, h('label', { for: 'stock-sku' }, 'SKU '), skuInput, h('button', { type: 'submit' }, 'Show')),
    page.items.length === 0
      ? h('p', { class: 'empty' }, sku ? `No stock is recorded for ${sku}.` : 'No stock is recorded.')
      : h('table', { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Stock levels by SKU and location'),
          h('thead', {}, h('tr', {}, ...['SKU', 'Item', 'Location', 'On hand', 'Reserved', 'Available', 'Safety stock'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...page.items.map((s) => {
            const low = s.available <= s.safety_stock;
            return h('tr', { class: low ? 'low' : null, 'data-sku': s.sku, 'data-location': s.location_id },
              h('td', {}, h('a', { href: stockLink(s.sku) }, s.sku)),
              h('td', {}, s.name),
              h('td', {}, s.location_name),
              h('td', { class: 'num' }, s.on_hand),
              h('td', { class: 'num' }, s.reserved),
              h('td', { class: 'num' }, s.available, low ? h('span', { class: 'warn' }, ' low') : null),
              h('td', { class: 'num' }, s.safety_stock),
            );
          })),
        ),
    sku && page.items.length > 0
      ? stockChart(shown, page.items.map((s) => ({ location: s.location_name, available: s.available, reserved: s.reserved })))
      : '',
    page.next_cursor ? h('p', { class: 'muted' }, 'Showing the first 200 rows; filter by SKU to see the rest.') : '',
  );
}
