import { actionForm } from '../action-form.js';
import { getJson, type Me } from '../api-client.js';
import { links } from '../console-links.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';

interface Flag {
  id: number;
  subject_type: string;
  subject_id: string;
  rule: string;
  severity: string;
  title: string;
  reasons: string[];
  status: string;
  occurrences: number;
  first_seen_at: string;
  last_seen_at: string;
  acknowledged_by: string | null;
}

function subjectLink(f: Flag): Node | string {
  if (f.subject_type === 'order' || f.subject_type === 'fulfilment') return h('a', { href: links.order(f.subject_id) }, f.subject_id);
  if (f.subject_type === 'stock') return h('a', { href: links.stock(f.subject_id.split('@')[0] ?? f.subject_id) }, f.subject_id);
  return f.subject_id;
}

/** Unresolved anomaly flags, oldest first, each with Acknowledge and Resolve for people who act. */
export async function renderFlagsPage(root: HTMLElement, me: Me): Promise<void> {
  const page = await getJson<{ items: Flag[]; next_cursor: string | null }>('/api/flags?status=unresolved&limit=100');
  const rerender = () => renderFlagsPage(root, me);
  const canAct = me.permissions.includes('act');
  const flags = [...page.items].sort((a, b) => a.first_seen_at.localeCompare(b.first_seen_at));
  root.replaceChildren(
    h('h1', {}, 'Flags'),
    h('p', { class: 'muted' }, `${flags.length}${page.next_cursor ? '+' : ''} unresolved, oldest first`),
    flags.length === 0
      ? h('p', { class: 'empty' }, 'No unresolved flags.')
      : h('ul', { class: 'cards' }, ...flags.map((f) =>
          h('li', { class: 'card', 'data-flag': f.id },
            h('h2', {}, h('span', { class: 'kind kind-flag' }, f.severity), ' ', f.title),
            h('p', {}, subjectLink(f), h('span', { class: 'muted' }, ` · ${f.rule} · seen ${f.occurrences}×, first `),
              h('time', { datetime: f.first_seen_at, title: humanDate(f.first_seen_at) }, humanAge(f.first_seen_at)),
              f.acknowledged_by ? h('span', { class: 'muted' }, ` · acknowledged by ${f.acknowledged_by}`) : null),
            f.reasons.length ? h('ul', { class: 'reasons' }, ...f.reasons.map((r) => h('li', {}, r))) : null,
            canAct
              ? h('div', { class: 'action-list' },
                  f.status === 'open'
                    ? actionForm({ id: `ack-${f.id}`, label: 'Acknowledge', path: `/api/flags/${f.id}/acknowledge`, field: { name: 'note', label: 'Note', required: false }, onDone: rerender })
                    : null,
                  actionForm({ id: `resolve-${f.id}`, label: 'Resolve', path: `/api/flags/${f.id}/resolve`, field: { name: 'resolution', label: 'How it was resolved', required: true }, onDone: rerender }),
                )
              : null,
          ))),
  );
}
