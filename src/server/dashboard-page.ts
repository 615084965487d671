import type { CappedList, DashboardSummary } from '../console/dashboard-summary.js';

import { escapeHtml } from './escape-html.js';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2330;background:#f6f7f9}
h1{font-size:1.4rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
.meta{color:#667;margin:0 0 1rem}
table{border-collapse:collapse;background:#fff;width:100%;max-width:72rem}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #e2e5ea;vertical-align:top}
th{background:#eef0f4;font-weight:600}
.counts td.n{text-align:right;font-variant-numeric:tabular-nums}
.empty{color:#889;font-style:italic}
.sev-critical{color:#b00020;font-weight:600}.sev-warning{color:#a35f00}.sev-info{color:#456}
.more{color:#667;font-size:.9em}
`;

/** "3" or "3 (showing 2)", "200+" when the source list stopped at its ceiling. */
function countLabel(list: CappedList<unknown>): string {
  const total = `${list.total}${list.totalIsLowerBound ? '+' : ''}`;
  return list.items.length < list.total || list.totalIsLowerBound ? `${total} (showing ${list.items.length})` : total;
}

function table<T>(list: CappedList<T>, headers: string[], row: (item: T) => unknown[], empty: string): string {
  if (list.items.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = list.items.map((item) => `<tr>${row(item).map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

function section(id: string, title: string, list: CappedList<unknown>, content: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(title)} <span class="more">${escapeHtml(countLabel(list))}</span></h2>\n${content}\n</section>`;
}

/**
 * The operator dashboard as one self-contained HTML page (inline style, no scripts), reloading
 * itself every 30 seconds. Pure: everything it shows comes from `summary`, all of it escaped.
 */
export function renderDashboardPage(summary: DashboardSummary): string {
  const counts = Object.entries(summary.ordersByStatus)
    .map(([status, n]) => `<tr><td>${escapeHtml(status)}</td><td class="n">${escapeHtml(n)}</td></tr>`)
    .join('\n');

  const flagSections = (['risk', 'stock', 'operations'] as const).map((category) => {
    const list = summary.flags[category];
    const rows =
      list.items.length === 0
        ? `<p class="empty">No open ${escapeHtml(category)} flags.</p>`
        : `<table>\n<tr><th>Flag</th><th>Severity</th><th>Subject</th><th>Rule</th><th>Title</th><th>Status</th><th>Seen</th><th>Last seen</th></tr>\n${list.items
            .map(
              (f) =>
                `<tr><td>${escapeHtml(f.id)}</td><td class="sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</td>` +
                `<td>${escapeHtml(`${f.subjectType}:${f.subjectId}`)}</td><td>${escapeHtml(f.rule)}</td><td>${escapeHtml(f.title)}</td>` +
                `<td>${escapeHtml(f.status)}</td><td>${escapeHtml(f.occurrences)}</td><td>${escapeHtml(f.lastSeenAt)}</td></tr>`,
            )
            .join('\n')}\n</table>`;
    const title = `Flags: ${category}`;
    return section(`flags-${category}`, title, list, rows);
  });

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="30">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>orderops dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<h1>orderops dashboard</h1>
<p class="meta">Generated ${escapeHtml(summary.generatedAt)} &middot; ${escapeHtml(summary.totalOrders)} orders${summary.failedJobs ? ` &middot; <strong>${escapeHtml(summary.failedJobs)} failed jobs</strong> (GET /api/jobs/failed)` : ''} &middot; refreshes every 30 s</p>
${section(
  'approvals',
  'Pending approvals',
  summary.pendingApprovals,
  table(
    summary.pendingApprovals,
    ['Approval', 'Tool', 'Summary', 'Order', 'Why', 'Requested by', 'Verified', 'From', 'Expires'],
    (a) => [a.id, a.tool, a.summary, a.orderId ?? '', a.reason, a.requestedBy, a.requesterVerification, a.originChannel, a.expiresAt],
    'No approvals waiting.',
  ),
)}
${section(
  'awaiting-confirmation',
  'Waiting for the customer to confirm (cannot be approved yet)',
  summary.awaitingConfirmation,
  table(
    summary.awaitingConfirmation,
    ['Approval', 'Tool', 'Summary', 'Order', 'Requested by', 'Verified', 'Code valid until'],
    (a) => [a.id, a.tool, a.summary, a.orderId ?? '', a.requestedBy, a.requesterVerification, a.expiresAt],
    'No requests waiting for a customer confirmation.',
  ),
)}
${section(
  'held',
  'Held orders',
  summary.heldOrders,
  table(
    summary.heldOrders,
    ['Order', 'Customer', 'Hold reason', 'Placed', 'Held since'],
    (o) => [o.id, o.customerId, o.holdReason ?? '', o.placedAt, o.heldSince],
    'No orders on hold.',
  ),
)}
${section(
  'exceptions',
  'Orders in exception',
  summary.exceptionOrders,
  table(
    summary.exceptionOrders,
    ['Order', 'Customer', 'Reason', 'Placed', 'Since'],
    (o) => [o.id, o.customerId, o.reason ?? '', o.placedAt, o.since],
    'No orders in exception.',
  ),
)}
${flagSections.join('\n')}
<section id="counts">
<h2>Orders by status</h2>
<table class="counts">
<tr><th>Status</th><th>Orders</th></tr>
${counts}
</table>
</section>
</body>
</html>
`;
}
