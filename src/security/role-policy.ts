/** What a signed-in person's role lets them do, each including the ones before it. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * see: read anything; act: change orders, stock, routing and notifications (release, retry,
 * cancel...); approve: decide approvals; admin: manage people.
 */
export type Capability = 'see' | 'act' | 'approve' | 'admin';

const GRANTS: Record<Role, readonly Capability[]> = {
  viewer: ['see'],
  operator: ['see', 'act'],
  approver: ['see', 'act', 'approve'],
  admin: ['see', 'act', 'approve', 'admin'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

/**
 * Every state-changing route a signed-in person may call, by the pattern the router matched, and
 * what it needs. A route that is not here is refused to every session (API_TOKEN still reaches
 * it), so a new write route stays closed to people until someone decides who may call it.
 */
export const WRITE_ROUTE_CAPABILITIES: Readonly<Record<string, Capability>> = {
  'POST /logout': 'see',
  'POST /api/approvals/:id/decision': 'approve',
  'POST /api/orders': 'act',
  'POST /api/orders/:id/fulfil': 'act',
  'POST /api/orders/:id/hold': 'act',
  'POST /api/orders/:id/release': 'act',
  'POST /api/orders/:id/cancel': 'act',
  'POST /api/orders/:id/reroute': 'act',
  'POST /api/jobs/failed/:id/retry': 'act',
  'POST /api/flags/:id/acknowledge': 'act',
  'POST /api/flags/:id/resolve': 'act',
  'POST /api/products': 'act',
  'PUT /api/variants/:sku/stock-policy': 'act',
  'POST /api/inventory/adjustments': 'act',
  'POST /api/inventory/counts': 'act',
  'POST /api/inventory/receipts': 'act',
  'POST /api/inventory/transfers': 'act',
  'POST /api/inventory/transfers/:id/cancel': 'act',
  'POST /api/inventory/transfers/:id/receive': 'act',
  'PUT /api/locations/:id': 'act',
  'POST /api/routing-rules': 'act',
  'PUT /api/routing-rules/:id': 'act',
  'DELETE /api/routing-rules/:id': 'act',
  'PATCH /api/customers/:id/notification-preferences': 'act',
  'PUT /api/notifications/workflows/:id': 'act',
  'POST /api/notifications/workflows/:id/pause': 'act',
  'POST /api/notifications/workflows/:id/resume': 'act',
  'POST /api/notifications/messages/:id/resend': 'act',
  'POST /api/users': 'admin',
  'PATCH /api/users/:id': 'admin',
  'POST /api/users/:id/password': 'admin',
};

/** The few reads that need more than `see`, by matched pattern; every other read needs only `see`. */
export const READ_ROUTE_CAPABILITIES: Readonly<Record<string, Capability>> = {
  'GET /api/users': 'admin',
  'HEAD /api/users': 'admin',
  // A scraper's endpoint (it has METRICS_TOKEN); a person looking at it is administering the service.
  'GET /metrics': 'admin',
  'HEAD /metrics': 'admin',
};

const READ_METHODS = new Set(['GET', 'HEAD']);

/** True for the methods that change state, which a session must send its CSRF token with. */
export function isStateChanging(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase()) && method.toUpperCase() !== 'OPTIONS';
}

/** What calling `pattern` with `method` needs, or undefined when no session may call it. */
export function requiredCapability(method: string, pattern: string): Capability | undefined {
  const m = method.toUpperCase();
  if (READ_METHODS.has(m)) return READ_ROUTE_CAPABILITIES[`${m} ${pattern}`] ?? 'see';
  return WRITE_ROUTE_CAPABILITIES[`${m} ${pattern}`];
}
