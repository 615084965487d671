/** Every list endpoint of the API, each answering `{ items, next_cursor }` with ?limit= and ?cursor=. */
export const LIST_ENDPOINTS = ['/api/orders', '/api/approvals', '/api/flags', '/api/products', '/api/inventory', '/api/jobs/failed', '/api/inbox'] as const;

export type ListEndpoint = (typeof LIST_ENDPOINTS)[number];
