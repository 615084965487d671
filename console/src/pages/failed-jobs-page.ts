import { actionForm } from '../action-form.js';
import { getJson, type Me } from '../api-client.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';

interface FailedJob {
  id: number;
  queue: string;
  job_id: string;
  error: string;
  attempts: number;
  failed_at: string;
}

/** The dead-letter list, oldest first; Retry asks for the approval a retry needs anywhere. */
export async function renderFailedJobsPage(root: HTMLElement, me: Me): Promise<void> {
  const page = await getJson<{ items: FailedJob[]; next_cursor: string | null }>('/api/jobs/failed?limit=100');
  const rerender = () => renderFailedJobsPage(root, me);
  const jobs = [...page.items].sort((a, b) => a.failed_at.localeCompare(b.failed_at));
  const canAct = me.permissions.includes('act');
  root.replaceChildren(
    h('h1', {}, 'Failed jobs'),
    h('p', { class: 'muted' }, `${jobs.length}${page.next_cursor ? '+' : ''} not retried, oldest first`),
    jobs.length === 0
      ? h('p', { class: 'empty' }, 'Nothing on the dead-letter list.')
      : h('table', { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Failed jobs'),
          h('thead', {}, h('tr', {}, ...['Job', 'Error', 'Failed', ...(canAct ? ['Action'] : [])].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...jobs.map((j) =>
            h('tr', { 'data-job': j.id },
              h('td', {}, `${j.queue} ${j.job_id}`, h('div', { class: 'muted' }, `${j.attempts} attempts`)),
              h('td', {}, h('code', {}, j.error)),
              h('td', {}, h('time', { datetime: j.failed_at, title: humanDate(j.failed_at) }, humanAge(j.failed_at))),
              canAct ? h('td', {}, actionForm({ id: `retry-${j.id}`, label: 'Retry', path: `/api/jobs/failed/${j.id}/retry`, onDone: rerender })) : null,
            ))),
        ),
  );
}
