import { describe, expect, it } from 'vitest';
import type { CappedList, DashboardFlag, DashboardSummary } from '../console/dashboard-summary.js';
import { renderDashboardPage } from './dashboard-page.js';
import { escapeHtml } from './escape-html.js';

const none = <T>(): CappedList<T> => ({ total: 0, totalIsLowerBound: false, items: [] });

function summary(overrides: Partial<DashboardSummary> = {}): DashboardSummary {
  return {
    generatedAt: '2025-06-02T16:00:00.000Z',
    ordersByStatus: { pending: 3, on_hold: 1 },
    totalOrders: 4,
    pendingApprovals: none(),
    awaitingConfirmation: none(),
    heldOrders: none(),
    exceptionOrders: none(),
    flags: { risk: none(), stock: none(), operations: none() },
    failedJobs: 0,
    ...overrides,
  };
}

const flag = (over: Partial<DashboardFlag>): DashboardFlag => ({
  id: 1,
  subjectType: 'order',
  subjectId: '#W1',
  rule: 'order_risk',
  severity: 'warning',
  score: 60,
  title: 'Risky order',
  status: 'open',
  occurrences: 1,
  lastSeenAt: '2025-06-02T15:00:00.000Z',
  ...over,
});

const approval = {
  id: 'apr_1',
  tool: 'cancel_order',
  summary: 'Cancel order #W1',
  orderId: '#W1',
  customerId: 'c1',
  reason: 'customer request',
  requestedBy: 'jane@example.com',
  requesterVerification: 'email, DMARC pass for example.com',
  originChannel: 'email',
  createdAt: '2025-06-02T15:00:00.000Z',
  expiresAt: '2025-06-03T15:00:00.000Z',
};

describe('approvals on the dashboard', () => {
  it('show how each requester was verified, and list requests still waiting for the customer apart', () => {
    const html = renderDashboardPage(
      summary({
        pendingApprovals: { total: 1, totalIsLowerBound: false, items: [approval] },
        awaitingConfirmation: {
          total: 1,
          totalIsLowerBound: false,
          items: [{ ...approval, id: 'apr_2', requesterVerification: 'email, unverified sender (DMARC fail for <b>example.com</b>)' }],
        },
      }),
    );
    const pending = html.slice(html.indexOf('id="approvals"'), html.indexOf('id="awaiting-confirmation"'));
    expect(pending).toContain('<th>Verified</th>');
    expect(pending).toContain('<td>email, DMARC pass for example.com</td>');
    const awaiting = html.slice(html.indexOf('id="awaiting-confirmation"'), html.indexOf('id="held"'));
    expect(awaiting).toContain('apr_2');
    expect(awaiting).toContain('cannot be approved yet');
    expect(awaiting).toContain('email, unverified sender (DMARC fail for &lt;b&gt;example.com&lt;/b&gt;)');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('renderDashboardPage', () => {
  it('escapes a hold reason carrying a script tag', () => {
    const html = renderDashboardPage(
      summary({
        heldOrders: {
          total: 1,
          totalIsLowerBound: false,
          items: [
            {
              id: '#W9',
              customerId: 'c"1',
              holdReason: '<script>alert("x")</script>',
              placedAt: '2025-06-01T00:00:00.000Z',
              heldSince: '2025-06-01T01:00:00.000Z',
            },
          ],
        },
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('c&quot;1');
  });

  it('escapes flag values used inside attributes and text', () => {
    const html = renderDashboardPage(
      summary({
        flags: {
          risk: { total: 1, totalIsLowerBound: false, items: [flag({ title: '<img src=x onerror=1>', severity: '"><b' as never })] },
          stock: none(),
          operations: none(),
        },
      }),
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"><b');
    expect(html).toContain('&lt;img src=x onerror=1&gt;');
  });

  it('names the failed jobs waiting on the dead-letter list, and says nothing when there are none', () => {
    expect(renderDashboardPage(summary({ failedJobs: 3 }))).toContain('3 failed jobs');
    expect(renderDashboardPage(summary({ failedJobs: 0 }))).not.toContain('failed jobs');
  });

  it('auto-refreshes, carries no script, and says when a list is cut short', () => {
    const html = renderDashboardPage(
      summary({
        flags: {
          risk: none(),
          stock: none(),
          operations: {
            total: 200,
            totalIsLowerBound: true,
            items: [flag({ id: 7, rule: 'order_sla', title: 'Order late' })],
          },
        },
        exceptionOrders: {
          total: 5,
          totalIsLowerBound: false,
          items: [{ id: '#W5', customerId: 'c', reason: 'carrier lost it', placedAt: 'p', since: 's' }],
        },
      }),
    );
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('200+ (showing 1)');
    expect(html).toContain('5 (showing 1)');
    expect(html).toContain('order_sla');
    expect(html).toContain('No approvals waiting.');
    expect(html).toContain('No open risk flags.');
    expect(html).toMatch(/<td>on_hold<\/td><td class="n">1<\/td>/);
  });
});
