import { ApiError, getJson, postJson, type Me } from '../api-client.js';
import { links } from '../console-links.js';
import { h } from '../element.js';
import { humanAge, humanDate } from '../human-time.js';

interface Approval {
  id: string;
  tool: string;
  status: string;
  summary: string;
  order_id: string | null;
  reason: string;
  requested_by: { kind: string; id: string };
  requester_verification: string;
  origin: { channel: string };
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  error: string | null;
}

const STATUS_LABEL: Record<string, string> = {
  awaiting_confirmation: 'Waiting for the customer to confirm',
  pending: 'Waiting for a decision',
  executed: 'Approved and done',
  failed: 'Approved, but the action failed',
  rejected: 'Rejected',
  expired: 'Expired',
};

function decisionForm(approval: Approval, rerender: () => Promise<void>): HTMLElement {
  const message = h('p', { class: 'message', role: 'status' });
  const reason = h('textarea', { id: 'decision-reason', name: 'reason', rows: 3, required: true });
  const decide = async (decision: 'approve' | 'reject') => {
    if (!reason.value.trim()) {
      message.textContent = 'A reason is required.';
      reason.focus();
      return;
    }
    try {
      await postJson(`/api/approvals/${encodeURIComponent(approval.id)}/decision`, { decision, reason: reason.value });
    } catch (err) {
      message.textContent = err instanceof ApiError ? err.message : String(err);
    }
    await rerender();
  };
  return h('form', { class: 'stack decision', onsubmit: (e: Event) => e.preventDefault() },
    h('label', { for: 'decision-reason' }, 'Reason'),
    reason,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'approve', onclick: () => void decide('approve') }, 'Approve'),
      h('button', { type: 'button', class: 'reject', onclick: () => void decide('reject') }, 'Reject'),
    ),
    message,
  );
}

/** One approval: what it would change, who asked, its state, and Approve / Reject for approvers. */
export async function renderApprovalPage(root: HTMLElement, id: string, me: Me): Promise<void> {
  const { approval: a } = await getJson<{ approval: Approval }>(`/api/approvals/${encodeURIComponent(id)}`);
  const rerender = () => renderApprovalPage(root, id, me);
  const facts: [string, Node | string][] = [
    ['Status', h('span', { class: `status status-${a.status}`, 'data-status': a.status }, STATUS_LABEL[a.status] ?? a.status)],
    ['Action', a.tool],
    ['Order', a.order_id ? h('a', { href: links.order(a.order_id) }, a.order_id) : '—'],
    ['Why it waits', a.reason],
    ['Requested by', `${a.requested_by.id} (${a.requested_by.kind}, via ${a.origin.channel})`],
    ['Verification', a.requester_verification],
    ['Requested', h('time', { datetime: a.created_at, title: humanDate(a.created_at) }, humanAge(a.created_at))],
    ['Expires', h('time', { datetime: a.expires_at, title: humanDate(a.expires_at) }, humanAge(a.expires_at))],
  ];
  if (a.decided_at) {
    facts.push(['Decided', `${a.decided_by ?? 'someone'}, ${humanAge(a.decided_at)}${a.decision_reason ? `: ${a.decision_reason}` : ''}`]);
  }
  if (a.error) facts.push(['Error', a.error]);
  const canDecide = a.status === 'pending' && me.permissions.includes('approve');
  root.replaceChildren(
    h('p', {}, h('a', { href: links.inbox() }, '← Inbox')),
    h('h1', {}, a.summary),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    canDecide ? decisionForm(a, rerender) : '',
  );
}
