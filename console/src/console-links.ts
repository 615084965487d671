/** Where each console page lives (hash routes under /console/). */
export const links = {
  inbox: () => '#/',
  approval: (id: string) => `#/approvals/${encodeURIComponent(id)}`,
  order: (id: string) => `#/orders/${encodeURIComponent(id)}`,
  search: (q: string) => `#/search?q=${encodeURIComponent(q)}`,
  stock: (sku: string) => `#/stock?sku=${encodeURIComponent(sku)}`,
  flags: () => '#/flags',
  failedJobs: () => '#/jobs',
};
