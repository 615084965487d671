import { ApiError, getJson } from '../api-client.js';
import { links } from '../console-links.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';
import { stockChart } from '../stock-chart.js';

interface OutlookLocation {
  location_id: string;
  location_name: string;
  on_hand: number;
  reserved: number;
  available: number;
  safety_stock: number;
  daily_velocity: number;
  days_of_cover: number | null;
  projected_stockout_at: string | null;
  forecast_days: number;
}

interface OutlookChannel {
  channel: string;
  state: 'in_sync' | 'behind' | 'failing';
  last_pushed_at: string | null;
  pushed_quantity: number | null;
  channel_quantity: number | null;
  quantity_now: number;
  pending_since: string | null;
  failed_attempts: number;
  error: string | null;
}

interface Outlook {
  sku: string;
  name: string;
  quantity_now: number;
  locations: OutlookLocation[];
  channels: OutlookChannel[];
}


const SYNC_LABEL: Record<OutlookChannel['state'], string> = { in_sync: 'In sync', behind: 'Behind', failing: 'Failing' };

const time = (iso: string | null) => (iso ? h('time', { datetime: iso, title: humanDate(iso) }, humanAge(iso)) : '—');

function coverCell(l: OutlookLocation): HTMLElement {
  if (l.days_of_cover === null) return h('td', { class: 'num muted' }, l.forecast_days > 0 && l.daily_velocity > 0 ? 'learning' : 'no sales');
  return h('td', { class: 'num' }, l.days_of_cover.toFixed(1));
}

/** The outlook of one SKU, or of every stocked variant (the first 200); an unknown SKU is an empty list. */
async function loadOutlook(sku: string): Promise<{ items: Outlook[]; next_cursor: string | null }> {
  const query = sku ? `&sku=${encodeURIComponent(sku)}` : '';
  try {
    return await getJson(`/api/stock-outlook?limit=200${query}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { items: [], next_cursor: null };
    throw err;
  }
}

function channelTable(items: readonly Outlook[]): HTMLElement {
  const rows = items.flatMap((v) => v.channels.map((c) => ({ sku: v.sku, c })));
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No sales channel sells these items.');
  return h('table', { class: 'list', id: 'channel-sync' },
    h('caption', { class: 'visually-hidden' }, 'Stock sync per sales channel'),
    h('thead', {}, h('tr', {}, ...['SKU', 'Channel', 'Status', 'Last push', 'Pushed', 'Should show', 'Error'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map(({ sku, c }) =>
      h('tr', { 'data-sku': sku, 'data-channel': c.channel, 'data-sync': c.state },
        h('td', {}, sku),
        h('td', {}, c.channel),
        h('td', {}, h('span', { class: `sync sync-${c.state}` }, SYNC_LABEL[c.state]), c.pending_since ? h('div', { class: 'muted' }, 'waiting since ', time(c.pending_since)) : null),
        h('td', {}, time(c.last_pushed_at)),
        h('td', { class: 'num' }, c.pushed_quantity ?? '—'),
        h('td', { class: 'num' }, c.quantity_now),
        h('td', {}, c.error ? `${c.error} (${c.failed_attempts} attempt${c.failed_attempts === 1 ? '' : 's'})` : ''),
      ),
    )),
  );
}

/**
 * Stock per variant and location: on hand, reserved, available against safety stock, days of
 * cover and the projected stock-out at the forecast demand; then each channel's sync state.
 */
export async function renderStockPage(root: HTMLElement, sku: string): Promise<void> {
  const page = await loadOutlook(sku);
  // The SKU as the catalogue spells it (the lookup ignores case).
  const shown = sku ? (page.items[0]?.sku ?? sku) : '';
  const rows = page.items.flatMap((v) => v.locations.map((l) => ({ v, l })));
  const skuInput = h('input', { id: 'stock-sku', name: 'sku', type: 'search', value: sku });
  root.replaceChildren(
    h('h1', {}, shown ? `Stock of ${shown}` : 'Stock'),
    h('form', {
      class: 'inline',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        location.hash = skuInput.value.trim() ? links.stock(skuInput.value.trim()) : '#/stock';
      },
    }, h('label', { for: 'stock-sku' }, 'SKU '), skuInput, h('button', { type: 'submit' }, 'Show')),
    rows.length === 0
      ? h('p', { class: 'empty' }, sku ? `No stock is recorded for ${sku}.` : 'No stock is recorded.')
      : h('table', { class: 'list', id: 'stock-levels' },
          h('caption', { class: 'visually-hidden' }, 'Stock levels by SKU and location, with days of cover at the forecast demand'),
          h('thead', {}, h('tr', {}, ...['SKU', 'Item', 'Location', 'On hand', 'Reserved', 'Available', 'Safety stock', 'Sold a day', 'Days of cover', 'Runs out'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...rows.map(({ v, l }) => {
            const low = l.available <= l.safety_stock;
            return h('tr', { class: low ? 'low' : null, 'data-sku': v.sku, 'data-location': l.location_id },
              h('td', {}, h('a', { href: links.stock(v.sku) }, v.sku)),
              h('td', {}, v.name),
              h('td', {}, l.location_name),
              h('td', { class: 'num' }, l.on_hand),
              h('td', { class: 'num' }, l.reserved),
              h('td', { class: 'num' }, l.available, low ? h('span', { class: 'warn' }, ' low') : null),
              h('td', { class: 'num' }, l.safety_stock),
              h('td', { class: 'num' }, l.daily_velocity.toFixed(1)),
              coverCell(l),
              h('td', {}, l.projected_stockout_at ? h('time', { datetime: l.projected_stockout_at, title: humanDate(l.projected_stockout_at) }, new Date(l.projected_stockout_at).toLocaleDateString('en-US', { dateStyle: 'medium' })) : '—'),
            );
          })),
        ),
    sku && rows.length > 0
      ? stockChart(shown, rows.map(({ l }) => ({ location: l.location_name, available: l.available, reserved: l.reserved })))
      : '',
    page.items.length > 0 ? h('h2', {}, 'Sales channels') : '',
    page.items.length > 0 ? channelTable(page.items) : '',
    page.next_cursor ? h('p', { class: 'muted' }, 'Showing the first 200 items; filter by SKU to see the rest.') : '',
  );
}
