import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One `inventorySetQuantities` call as the server received it. */
export interface WireInventorySet {
  /** The `@idempotent(key:)` value; null when the call carried none (refused from 2026-04). */
  idempotencyKey: string | null;
  name: string;
  reason: string;
  referenceDocumentUri: string | null;
  quantities: { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null | undefined }[];
  /** True when the key was seen before: the first result was returned and nothing changed. */
  replay: boolean;
  /** The set was refused (stale changeFromQuantity, missing key ...). */
  refused: string | null;
  /** Date.now() when the request arrived, and performance.timeOrigin + performance.now() for finer timing. */
  receivedAt: number;
  receivedAtHr: number;
}

export interface WireFulfillment {
  id: string;
  orderId: string;
  fulfillmentOrderId: string;
  lineItems: { id: string; quantity: number }[];
  trackingInfo: { company: string | null; number: string | null; url: string | null };
  notifyCustomer: boolean;
  createdAt: string;
}

/**
 * An order as the Admin GraphQL API returns it (the fields the connector selects). Tests put
 * these in `orders`; `lineItems.nodes[].id` are also the fulfillment order's line items.
 */
export interface WireOrder {
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string | null;
  [field: string]: unknown;
}

export interface ShopifyWireServerOptions {
  /** The token X-Shopify-Access-Token must carry. */
  accessToken?: string;
  apiVersion?: string;
  /** The bucket: points, and points restored per second. */
  maximumAvailable?: number;
  restoreRate?: number;
  /** Cost charged per request (Shopify computes it from the selection; a fixed figure is enough here). */
  requestedQueryCost?: number;
  /** Starting quantities, keyed `inventoryItemId|locationId` (the "available" name). */
  inventory?: Record<string, number>;
  orders?: WireOrder[];
}

export interface ShopifyWireServer {
  /** The GraphQL endpoint, to use as SHOPIFY_API_URL. */
  url: string;
  accessToken: string;
  inventorySets: WireInventorySet[];
  fulfillments: WireFulfillment[];
  orders: WireOrder[];
  /** Every request body received ({ query, variables }), with its operation name. */
  requests: { operationName: string | null; rootField: string | null; body: any; status: number; at: number }[];
  /** The current "available" quantity at a location. */
  quantity(inventoryItemId: string, locationId: string): number | undefined;
  setQuantity(inventoryItemId: string, locationId: string, quantity: number): void;
  /** The next `times` requests answer THROTTLED (HTTP 200, as Shopify's GraphQL does) with the bucket at `currentlyAvailable`. */
  throttle(times: number, currentlyAvailable?: number): void;
  /** The next `times` requests answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(times: number, retryAfterSeconds?: number): void;
  /** The next `times` requests to `rootField` are applied, then answered HTTP 500 (an answer lost after Shopify acted). */
  failAfterApplying(rootField: string, times: number): void;
  /** Holds requests to `rootField` until `release()`; `arrived` resolves when the first is held (a slow store, made deterministic). */
  hold(rootField: string): { arrived: Promise<void>; release: () => void };
  /** Sets the bucket's level now (e.g. low, so a client must wait before its next call). */
  drainBucket(currentlyAvailable: number): void;
  close(): Promise<void>;
}

/**
 * The Shopify Admin GraphQL API on 127.0.0.1, enough of its wire format for the connector:
 * `inventorySetQuantities` with the 2026-04 contract (every quantity names `changeFromQuantity`,
 * possibly null; the `@idempotent(key:)` directive is required and a repeated key returns the first
 * result without changing anything), `inventoryItem { inventoryLevel { quantities } }`,
 * `order { fulfillmentOrders fulfillments }`, `fulfillmentCreate`
 * with tracking, `orders(first, after, query: "updated_at:>=...")` with pageInfo, and the
 * cost-based throttle in `extensions.cost` on every answer.
 */
export async function startShopifyWireServer(options: ShopifyWireServerOptions = {}): Promise<ShopifyWireServer> {
  const accessToken = options.accessToken ?? 'shpat_test_token';
  const apiVersion = options.apiVersion ?? '2026-04';
  const maximumAvailable = options.maximumAvailable ?? 2000;
  const restoreRate = options.restoreRate ?? 100;
  const cost = options.requestedQueryCost ?? 10;
  const inventory = new Map<string, number>(Object.entries(options.inventory ?? {}));
  const orders: WireOrder[] = [...(options.orders ?? [])];
  const inventorySets: WireInventorySet[] = [];
  const fulfillments: WireFulfillment[] = [];
  const requests: ShopifyWireServer['requests'] = [];
  const idempotent = new Map<string, unknown>();
  let available = maximumAvailable;
  let lastRestore = Date.now();
  let throttles: { times: number; level: number } | null = null;
  let limits: { times: number; retryAfter: number } | null = null;
  let failAfter = { field: '', times: 0 };
  let held: { field: string; gate: Promise<void>; arrive: () => void } | null = null;
  let seq = 1000;

  const restore = () => {
    const now = Date.now();
    available = Math.min(maximumAvailable, available + ((now - lastRestore) / 1000) * restoreRate);
    lastRestore = now;
  };
  const costExtension = (actual: number | null) => ({
    cost: {
      requestedQueryCost: cost,
      actualQueryCost: actual,
      throttleStatus: { maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate },
    },
  });

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = Date.now();
    const atHr = performance.timeOrigin + performance.now();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    let body: any = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { errors: [{ message: 'Invalid JSON in request body' }] });
    }
    const query = typeof body?.query === 'string' ? body.query : '';
    const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
    const rootField = /\b(inventorySetQuantities|inventoryItem|fulfillmentCreate|orders|order)\s*\(/.exec(query)?.[1] ?? null;
    const record = (status: number) => requests.push({ operationName, rootField, body, status, at });
    if (held && held.field === rootField) {
      held.arrive();
      await held.gate;
    }

    if (req.method !== 'POST' || path !== `/admin/api/${apiVersion}/graphql.json`) {
      record(404);
      return send(404, { errors: 'Not Found' });
    }
    if (req.headers['x-shopify-access-token'] !== accessToken) {
      record(401);
      return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    if (limits && limits.times > 0) {
      limits.times--;
      record(429);
      return send(429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { 'retry-after': String(limits.retryAfter) });
    }
    restore();
    if (throttles && throttles.times > 0) {
      throttles.times--;
      available = Math.min(available, throttles.level);
      record(200);
      return send(200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: costExtension(null),
      });
    }
    if (available < cost) {
      record(200);
      return send(200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: costExtension(null),
      });
    }
    available -= cost;
    const variables = (body.variables ?? {}) as Record<string, any>;
    let data: unknown;
    let errors: unknown[] | undefined;
    switch (rootField) {
      case 'inventorySetQuantities':
        ({ data, errors } = inventorySet(query, variables, at, atHr));
        break;
      case 'fulfillmentCreate':
        data = { fulfillmentCreate: fulfillmentCreate(variables) };
        break;
      case 'orders':
        data = { orders: listOrders(variables) };
        break;
      case 'order':
        data = { order: orderWithFulfillments(String(variables.id ?? '')) };
        break;
      case 'inventoryItem': {
        const item = String(variables.id ?? '');
        const level = inventory.get(`${item}|${String(variables.locationId ?? '')}`);
        data = {
          inventoryItem: {
            id: item,
            inventoryLevel: level === undefined ? null : { quantities: [{ name: 'available', quantity: level }] },
          },
        };
        break;
      }
      default:
        record(200);
        return send(200, { errors: [{ message: `Field is not supported by this test server: ${query.slice(0, 80)}`, extensions: { code: 'undefinedField' } }] });
    }
    if (failAfter.times > 0 && failAfter.field === rootField) {
      failAfter.times--;
      record(500);
      return send(500, { errors: 'Internal Server Error' });
    }
    record(200);
    send(200, { ...(errors ? { errors } : {}), data, extensions: costExtension(cost) });
  }

  function inventorySet(query: string, variables: Record<string, any>, at: number, atHr: number): { data: unknown; errors?: unknown[] } {
    const directive = /@idempotent\s*\(\s*key\s*:\s*(?:"([^"]*)"|\$(\w+))\s*\)/.exec(query);
    const key = directive ? (directive[1] ?? String(variables[directive[2]!] ?? '')) || null : null;
    const input = (variables.input ?? {}) as Record<string, any>;
    const quantities = Array.isArray(input.quantities) ? input.quantities : [];
    const entry: WireInventorySet = {
      idempotencyKey: key,
      name: String(input.name ?? ''),
      reason: String(input.reason ?? ''),
      referenceDocumentUri: input.referenceDocumentUri ?? null,
      quantities: quantities.map((q: any) => ({
        inventoryItemId: String(q.inventoryItemId),
        locationId: String(q.locationId),
        quantity: Number(q.quantity),
        changeFromQuantity: 'changeFromQuantity' in q ? q.changeFromQuantity : undefined,
      })),
      replay: false,
      refused: null,
      receivedAt: at,
      receivedAtHr: atHr,
    };
    inventorySets.push(entry);
    if (!key) {
      entry.refused = 'missing @idempotent';
      return {
        data: { inventorySetQuantities: null },
        errors: [{ message: 'The @idempotent directive is required for this mutation.', extensions: { code: 'BAD_REQUEST' } }],
      };
    }
    if (idempotent.has(key)) {
      entry.replay = true;
      return { data: { inventorySetQuantities: idempotent.get(key) } };
    }
    const userErrors: { code: string; field: string[]; message: string }[] = [];
    if (!['available', 'on_hand'].includes(entry.name)) {
      userErrors.push({ code: 'INVALID_NAME', field: ['input', 'name'], message: 'The quantity name must be either \'available\' or \'on_hand\'.' });
    }
    entry.quantities.forEach((q, i) => {
      if (q.changeFromQuantity === undefined) {
        userErrors.push({ code: 'CHANGE_FROM_QUANTITY_REQUIRED', field: ['input', 'quantities', String(i), 'changeFromQuantity'], message: 'changeFromQuantity must be provided; pass null to skip the check.' });
        return;
      }
      const current = inventory.get(`${q.inventoryItemId}|${q.locationId}`) ?? 0;
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
        userErrors.push({
          code: 'CHANGE_FROM_QUANTITY_STALE',
          field: ['input', 'quantities', String(i), 'changeFromQuantity'],
          message: 'The specified changeFromQuantity does not match the current quantity.',
        });
      }
    });
    let payload: unknown;
    if (userErrors.length) {
      entry.refused = userErrors.map((e) => e.code).join(',');
      payload = { inventoryAdjustmentGroup: null, userErrors };
    } else {
      const changes = entry.quantities.map((q) => {
        const k = `${q.inventoryItemId}|${q.locationId}`;
        const before = inventory.get(k) ?? 0;
        inventory.set(k, q.quantity);
        return { name: entry.name, delta: q.quantity - before, quantityAfterChange: q.quantity, item: { id: q.inventoryItemId }, location: { id: q.locationId } };
      });
      payload = {
        inventoryAdjustmentGroup: {
          id: `gid://shopify/InventoryAdjustmentGroup/${++seq}`,
          createdAt: new Date(at).toISOString(),
          reason: entry.reason,
          referenceDocumentUri: entry.referenceDocumentUri,
          changes,
        },
        userErrors: [],
      };
    }
    idempotent.set(key, payload);
    return { data: { inventorySetQuantities: payload } };
  }

  function fulfillmentOrderId(order: WireOrder): string {
    return `gid://shopify/FulfillmentOrder/${order.legacyResourceId}`;
  }
  function lineItemsOf(order: WireOrder): { id: string; quantity: number }[] {
    const nodes = ((order.lineItems as { nodes?: { id: string; quantity: number }[] } | undefined)?.nodes ?? []);
    return nodes.map((n) => ({ id: n.id, quantity: n.quantity }));
  }
  function fulfilledQuantity(orderId: string, lineItemId: string): number {
    return fulfillments
      .filter((f) => f.orderId === orderId)
      .flatMap((f) => f.lineItems)
      .filter((l) => l.id === lineItemId)
      .reduce((s, l) => s + l.quantity, 0);
  }

  function orderWithFulfillments(id: string): unknown {
    const order = orders.find((o) => o.id === id);
    if (!order) return null;
    const lines = lineItemsOf(order).map((l) => ({
      // The fulfillment order line item id differs from the order line item id, as in Shopify.
      id: l.id.replace('/LineItem/', '/FulfillmentOrderLineItem/'),
      totalQuantity: l.quantity,
      remainingQuantity: l.quantity - fulfilledQuantity(order.id, l.id),
      lineItem: { id: l.id },
    }));
    const open = lines.some((l) => l.remainingQuantity > 0);
    return {
      id: order.id,
      fulfillmentOrders: {
        nodes: [{ id: fulfillmentOrderId(order), status: open ? 'OPEN' : 'CLOSED', lineItems: { nodes: lines } }],
      },
      fulfillments: fulfillments
        .filter((f) => f.orderId === order.id)
        .map((f) => ({ id: f.id, status: 'SUCCESS', trackingInfo: [f.trackingInfo] })),
    };
  }

  function fulfillmentCreate(variables: Record<string, any>): unknown {
    const input = (variables.fulfillment ?? {}) as Record<string, any>;
    const groups = Array.isArray(input.lineItemsByFulfillmentOrder) ? input.lineItemsByFulfillmentOrder : [];
    if (groups.length === 0) {
      return { fulfillment: null, userErrors: [{ field: ['fulfillment', 'lineItemsByFulfillmentOrder'], message: 'must have at least one fulfillment order' }] };
    }
    const group = groups[0];
    const order = orders.find((o) => fulfillmentOrderId(o) === group.fulfillmentOrderId);
    if (!order) return { fulfillment: null, userErrors: [{ field: ['fulfillment', 'lineItemsByFulfillmentOrder', '0', 'fulfillmentOrderId'], message: 'Fulfillment order does not exist.' }] };
    const all = lineItemsOf(order);
    const requested: { id: string; quantity: number }[] = Array.isArray(group.fulfillmentOrderLineItems) && group.fulfillmentOrderLineItems.length
      ? group.fulfillmentOrderLineItems.map((l: any) => ({ id: String(l.id).replace('/FulfillmentOrderLineItem/', '/LineItem/'), quantity: Number(l.quantity) }))
      : all.map((l) => ({ id: l.id, quantity: l.quantity - fulfilledQuantity(order.id, l.id) })).filter((l) => l.quantity > 0);
    for (const r of requested) {
      const line = all.find((l) => l.id === r.id);
      if (!line || r.quantity > line.quantity - fulfilledQuantity(order.id, r.id)) {
        return { fulfillment: null, userErrors: [{ field: ['fulfillment'], message: 'Invalid fulfillment order line item quantity requested.' }] };
      }
    }
    if (requested.length === 0) return { fulfillment: null, userErrors: [{ field: ['fulfillment'], message: 'Fulfillment order is already closed.' }] };
    const tracking = (input.trackingInfo ?? {}) as Record<string, any>;
    const f: WireFulfillment = {
      id: `gid://shopify/Fulfillment/${++seq}`,
      orderId: order.id,
      fulfillmentOrderId: group.fulfillmentOrderId,
      lineItems: requested,
      trackingInfo: { company: tracking.company ?? null, number: tracking.number ?? null, url: tracking.url ?? null },
      notifyCustomer: Boolean(input.notifyCustomer),
      createdAt: new Date().toISOString(),
    };
    fulfillments.push(f);
    return { fulfillment: { id: f.id, status: 'SUCCESS', trackingInfo: [f.trackingInfo] }, userErrors: [] };
  }

  function listOrders(variables: Record<string, any>): unknown {
    const first = Math.min(250, Math.max(1, Number(variables.first ?? 50)));
    const search = String(variables.query ?? '');
    const since = /updated_at:>=?'?"?([^'"\s]+)/.exec(search)?.[1];
    const matching = orders
      .filter((o) => !since || Date.parse(o.updatedAt) >= Date.parse(since))
      .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id.localeCompare(b.id));
    const start = variables.after ? Number(Buffer.from(String(variables.after), 'base64url').toString('utf8')) + 1 : 0;
    const page = matching.slice(start, start + first);
    const cursorOf = (i: number) => Buffer.from(String(i)).toString('base64url');
    return {
      nodes: page,
      pageInfo: {
        hasNextPage: start + first < matching.length,
        endCursor: page.length ? cursorOf(start + page.length - 1) : null,
      },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/admin/api/${apiVersion}/graphql.json`,
    accessToken,
    inventorySets,
    fulfillments,
    orders,
    requests,
    quantity: (item, location) => inventory.get(`${item}|${location}`),
    setQuantity: (item, location, q) => void inventory.set(`${item}|${location}`, q),
    throttle: (times, level = 0) => void (throttles = { times, level }),
    rateLimit: (times, retryAfter = 1) => void (limits = { times, retryAfter }),
    failAfterApplying: (field, times) => void (failAfter = { field, times }),
    hold: (field) => {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((r) => (arrive = r));
      const gate = new Promise<void>((r) => (release = r));
      held = { field, gate, arrive };
      return { arrived, release: () => ((held = null), release()) };
    },
    drainBucket: (level) => {
      restore();
      available = level;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
