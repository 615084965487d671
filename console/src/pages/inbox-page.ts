import { getJson } from '../api-client.js';
import { links } from '../console-links.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';

interface InboxItem {
  id: string;
  kind: string;
  ref: string;
  title: string;
  detail: string | null;
  since: string;
  order_id: string | null;
  customer_id: string | null;
  customer_name: string | null;
}

const KIND_LABEL: Record<string, string> = {
  approval: 'Approval',
  held_order: 'On hold',
  exception: 'Exception',
  sla_breach: 'SLA breach',
  flag: 'Flag',
  failed_job: 'Failed job',
};

function itemLink(i: InboxItem): string | null {
  if (i.kind === 'approval') return links.approval(i.ref);
  if (i.kind === 'failed_job') return links.failedJobs();
  if (i.order_id) return links.order(i.order_id);
  return i.kind === 'flag' || i.kind === 'sla_breach' ? links.flags() : null;
}

/** What needs a person, oldest first, each with its age and a link to where it is worked. */
export async function renderInboxPage(root: HTMLElement): Promise<void> {
  const page = await getJson<{ items: InboxItem[]; next_cursor: string | null }>('/api/inbox?limit=100');
  const rows = page.items.map((i) => {
    const href = itemLink(i);
    return h('tr', { 'data-item': i.id },
      h('td', {}, h('span', { class: `kind kind-${i.kind}` }, KIND_LABEL[i.kind] ?? i.kind)),
      h('td', {}, href ? h('a', { href }, i.title) : i.title, i.detail ? h('div', { class: 'muted' }, i.detail) : null),
      h('td', {}, i.order_id ? h('a', { href: links.order(i.order_id) }, i.customer_name ?? i.order_id) : (i.customer_name ?? '')),
      h('td', {}, h('time', { datetime: i.since, title: humanDate(i.since) }, humanAge(i.since))),
    );
  });
  root.replaceChildren(
    h('h1', {}, 'Inbox'),
    h('p', { class: 'muted' }, `${page.items.length}${page.next_cursor ? '+' : ''} waiting, oldest first. `, h('a', { href: '#/trends' }, 'Trends of orders, breaches and flags')),
    rows.length === 0
      ? h('p', { class: 'empty' }, 'Nothing needs a person right now.')
      : h('table', { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Items waiting for a person'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Customer'), h('th', { scope: 'col' }, 'Waiting'))),
          h('tbody', {}, ...rows),
        ),
  );
}
