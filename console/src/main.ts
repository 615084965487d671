import './console.css';
import { ApiError, loadMe, loadSignInMethods, type Me } from './api-client.js';
import { links } from './console-links.js';
import { h } from './element.js';
import { onApprovalEvent } from './live-updates.js';
import { renderApprovalPage } from './pages/approval-page.js';
import { renderFailedJobsPage } from './pages/failed-jobs-page.js';
import { renderFlagsPage } from './pages/flags-page.js';
import { renderInboxPage } from './pages/inbox-page.js';
import { renderLoginPage } from './pages/login-page.js';
import { renderOrderPage } from './pages/order-page.js';
import { renderSearchPage } from './pages/search-page.js';
import { renderStockPage } from './pages/stock-page.js';
import { renderTrendsPage } from './pages/trends-page.js';

const root = document.getElementById('app')!;
let me: Me | null = null;

/** Renders the page the hash names; a failure shows as a message, not a blank page. */
async function show(): Promise<void> {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.body.setAttribute('data-page', 'loading');
  try {
    if (!me) {
      const search = new URLSearchParams(location.search);
      renderLoginPage(root, { failed: search.has('failed'), ssoFailed: search.get('sso_failed'), sso: (await loadSignInMethods()).sso });
      document.body.setAttribute('data-page', 'login');
      return;
    }
    if (parts[0] === 'approvals' && parts[1]) await renderApprovalPage(root, parts[1], me);
    else if (parts[0] === 'orders' && parts[1]) await renderOrderPage(root, parts[1], me);
    else if (parts[0] === 'flags') await renderFlagsPage(root, me);
    else if (parts[0] === 'jobs') await renderFailedJobsPage(root, me);
    else if (parts[0] === 'stock') await renderStockPage(root, new URLSearchParams(query).get('sku') ?? '');
    else if (parts[0] === 'trends') await renderTrendsPage(root, new URLSearchParams(query).get('days') ?? '');
    else if (parts[0] === 'search') await renderSearchPage(root, new URLSearchParams(query).get('q') ?? '');
    else await renderInboxPage(root);
    document.body.setAttribute('data-page', parts[0] ?? 'inbox');
  } catch (err) {
    const text = err instanceof ApiError && err.status === 404 ? 'Not found.' : `Could not load this page: ${(err as Error).message}`;
    root.replaceChildren(h('p', { class: 'error', role: 'alert' }, text), h('p', {}, h('a', { href: links.inbox() }, 'Back to the inbox')));
    document.body.setAttribute('data-page', 'error');
  }
}

async function start(): Promise<void> {
  me = await loadMe();
  const who = document.getElementById('who')!;
  if (me?.user) {
    who.replaceChildren(`${me.user.name ?? me.user.email} (${me.user.role})`);
  }
  document.getElementById('search-form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = (document.getElementById('search-q') as HTMLInputElement).value.trim();
    if (q) location.hash = links.search(q);
  });
  window.addEventListener('hashchange', () => void show());
  if (me) {
    // The inbox and an open approval change when an approval is created or decided anywhere.
    onApprovalEvent((event) => {
      const page = document.body.getAttribute('data-page');
      if (page === 'inbox' || (page === 'approvals' && location.hash.includes(encodeURIComponent(event.approval_id)))) void show();
    });
  }
  await show();
}

void start();
