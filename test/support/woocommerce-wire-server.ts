import { createHmac } from 'node:crypto';
import { JsonWireServer, type WireAnswer, type WireCall } from './json-wire-server.js';

export interface WooProduct {
  id: number;
  name: string;
  sku: string;
  type: 'simple' | 'variable';
  manage_stock: boolean;
  stock_quantity: number | null;
  meta_data: { key: string; value: unknown }[];
  variations: WooVariation[];
}

export interface WooVariation {
  id: number;
  sku: string;
  manage_stock: boolean;
  stock_quantity: number | null;
  meta_data: { key: string; value: unknown }[];
}

export interface WooNote {
  id: number;
  author: string;
  date_created_gmt: string;
  note: string;
  customer_note: boolean;
}

/** One stock write the store applied: which product or variation, to what quantity, with which key. */
export interface StockWrite {
  productId: number;
  variationId: number | null;
  quantity: number;
  idempotencyKey: unknown;
}

const OAUTH_REQUIRED = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
const PHP_RAWURLENCODE = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const lenientDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const restError = (status: number, code: string, message: string): WireAnswer => ({ status, body: { code, message, data: { status } } });

/**
 * A local WooCommerce store speaking REST API v3 under /wp-json/wc/v3: products and variations
 * (read, stock updates one by one and in batches, every write recorded), orders listed with
 * modified_after and X-WP-Total / X-WP-TotalPages paging, order updates and order notes.
 * Authentication is checked as WooCommerce does it: HTTP Basic (or consumer_key/consumer_secret in
 * the query), or OAuth 1.0a one-legged in the query, verified the way WooCommerce's
 * WC_REST_Authentication rebuilds the signature (timestamp window, nonce reuse refused).
 */
export class WooCommerceWireServer extends JsonWireServer {
  protected override readonly prefix = '/wp-json/wc/v3';
  readonly products = new Map<number, WooProduct>();
  readonly orders = new Map<number, Record<string, any>>();
  readonly notes = new Map<number, WooNote[]>();
  readonly stockWrites: StockWrite[] = [];
  readonly authFailures: string[] = [];
  private readonly nonces = new Set<string>();
  private nextNoteId = 9000;

  constructor(
    readonly consumerKey: string,
    readonly consumerSecret: string,
  ) {
    super();
  }

  addProduct(p: Partial<WooProduct> & { id: number; sku: string }): WooProduct {
    const product: WooProduct = { name: `Product ${p.id}`, type: 'simple', manage_stock: false, stock_quantity: null, meta_data: [], variations: [], ...p };
    this.products.set(product.id, product);
    return product;
  }

  addOrder(order: Record<string, any>): void {
    this.orders.set(Number(order.id), structuredClone(order));
  }

  protected route(call: WireCall): WireAnswer {
    const refused = this.authenticate(call);
    if (refused) {
      this.authFailures.push(refused);
      return restError(401, 'woocommerce_rest_authentication_error', refused);
    }
    const seg = call.path.split('/').filter(Boolean);
    const [root, a, b, c, d] = seg;
    if (root === 'products') {
      if (a === 'batch' && call.method === 'POST') return this.batch(null, call.body);
      if (a === undefined && call.method === 'GET') return this.listStock([...this.products.values()], call);
      const product = this.products.get(Number(a));
      if (!product) return restError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
      if (b === undefined) {
        if (call.method === 'GET') return { status: 200, body: product };
        if (call.method === 'PUT') return { status: 200, body: this.applyStock(product, null, call.body) };
      }
      if (b === 'variations') {
        if (c === 'batch' && call.method === 'POST') return this.batch(product, call.body);
        if (c === undefined && call.method === 'GET') return this.listStock(product.variations, call);
        const variation = product.variations.find((v) => v.id === Number(c));
        if (!variation || d !== undefined) return restError(404, 'woocommerce_rest_product_variation_invalid_id', 'Invalid ID.');
        if (call.method === 'GET') return { status: 200, body: variation };
        if (call.method === 'PUT') return { status: 200, body: this.applyStock(product, variation, call.body) };
      }
    }
    if (root === 'orders') {
      if (a === undefined && call.method === 'GET') return this.listOrders(call);
      const order = this.orders.get(Number(a));
      if (!order) return restError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
      if (b === undefined) {
        if (call.method === 'GET') return { status: 200, body: order };
        if (call.method === 'PUT') {
          Object.assign(order, call.body ?? {});
          order.date_modified_gmt = new Date().toISOString().slice(0, 19);
          return { status: 200, body: order };
        }
      }
      if (b === 'notes' && c === undefined) {
        const notes = this.notes.get(order.id) ?? [];
        if (call.method === 'GET') {
          const type = call.query.get('type') ?? 'any';
          const shown = notes.filter((n) => type === 'any' || (type === 'customer') === n.customer_note);
          return { status: 200, body: [...shown].reverse() };
        }
        if (call.method === 'POST') {
          if (typeof call.body?.note !== 'string' || !call.body.note) return restError(400, 'rest_missing_callback_param', 'Missing parameter(s): note');
          const note: WooNote = {
            id: this.nextNoteId++,
            author: 'system',
            date_created_gmt: new Date().toISOString().slice(0, 19),
            note: call.body.note,
            customer_note: call.body.customer_note === true,
          };
          this.notes.set(order.id, [...notes, note]);
          return { status: 201, body: note };
        }
      }
    }
    return restError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  }

  private authenticate(call: WireCall): string | null {
    const auth = call.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const [key, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      return key === this.consumerKey && rest.join(':') === this.consumerSecret ? null : 'Consumer secret is invalid.';
    }
    if (call.query.has('consumer_key')) {
      return call.query.get('consumer_key') === this.consumerKey && call.query.get('consumer_secret') === this.consumerSecret
        ? null
        : 'Consumer secret is invalid.';
    }
    const params: Record<string, string> = {};
    for (const [k, v] of call.query) params[k] = v;
    if (OAUTH_REQUIRED.some((p) => !params[p])) return 'Consumer key is missing.';
    if (params.oauth_consumer_key !== this.consumerKey) return 'Consumer key is invalid.';
    const ts = Number(params.oauth_timestamp);
    if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > 15 * 60) return 'Invalid timestamp.';
    if (this.nonces.has(`${ts}:${params.oauth_nonce}`)) return 'Invalid nonce - nonce has already been used.';
    const given = params.oauth_signature!;
    delete params.oauth_signature;
    // The base string as WooCommerce rebuilds it: keys sorted as given, each key and value decoded,
    // re-encoded, and its percent signs encoded again; joined with %3D and %26.
    const normalize = (s: string) => PHP_RAWURLENCODE(lenientDecode(s)).replace(/%/g, '%25');
    const joined = Object.keys(params)
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
      .map((k) => `${normalize(k)}%3D${normalize(params[k]!)}`)
      .join('%26');
    const url = `http://${call.headers.host}${this.prefix}${call.path}`;
    const base = `${call.method.toUpperCase()}&${PHP_RAWURLENCODE(url)}&${joined}`;
    const method = params.oauth_signature_method;
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return 'Invalid signature - signature method is invalid.';
    const expected = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${this.consumerSecret}&`).update(base).digest('base64');
    if (expected !== given) return 'Invalid signature - provided signature does not match.';
    this.nonces.add(`${ts}:${params.oauth_nonce}`);
    return null;
  }

  private applyStock(product: WooProduct, variation: WooVariation | null, body: any): WooProduct | WooVariation {
    const target = variation ?? product;
    if (typeof body?.manage_stock === 'boolean') target.manage_stock = body.manage_stock;
    if (body?.stock_quantity !== undefined) {
      target.stock_quantity = Number(body.stock_quantity);
      const key = (body.meta_data as { key: string; value: unknown }[] | undefined)?.find((m) => m.key === '_orderops_stock_push')?.value;
      this.stockWrites.push({ productId: product.id, variationId: variation?.id ?? null, quantity: target.stock_quantity, idempotencyKey: key });
    }
    if (Array.isArray(body?.meta_data)) {
      for (const m of body.meta_data) {
        target.meta_data = [...target.meta_data.filter((x) => x.key !== m.key), { key: m.key, value: m.value }];
      }
    }
    return target;
  }

  private batch(parent: WooProduct | null, body: any): WireAnswer {
    const updates: any[] = Array.isArray(body?.update) ? body.update : [];
    if (updates.length > 100) return restError(413, 'woocommerce_rest_request_entity_too_large', 'Unable to accept more than 100 items for this request.');
    const update = updates.map((u) => {
      const product = parent ?? this.products.get(Number(u.id));
      const variation = parent ? parent.variations.find((v) => v.id === Number(u.id)) ?? null : null;
      if (!product || (parent && !variation)) {
        return { id: u.id, error: { code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.', data: { status: 400 } } };
      }
      return this.applyStock(product, variation, u);
    });
    return { status: 200, body: { update } };
  }

  private listStock(rows: (WooProduct | WooVariation)[], call: WireCall): WireAnswer {
    const include = call.query.get('include')?.split(',').map(Number);
    const shown = include ? rows.filter((r) => include.includes(r.id)) : rows;
    return { status: 200, body: shown.slice(0, Number(call.query.get('per_page') ?? 10)) };
  }

  private listOrders(call: WireCall): WireAnswer {
    const perPage = Number(call.query.get('per_page') ?? 10);
    const page = Number(call.query.get('page') ?? 1);
    const after = call.query.get('modified_after');
    if (after && call.query.get('dates_are_gmt') !== 'true') {
      return restError(400, 'rest_invalid_param', 'orderops always sends GMT dates; dates_are_gmt=true expected');
    }
    const afterMs = after ? Date.parse(/Z$/.test(after) ? after : `${after}Z`) : -Infinity;
    const all = [...this.orders.values()]
      .filter((o) => Date.parse(`${o.date_modified_gmt}Z`) > afterMs)
      .sort((x, y) => Date.parse(`${x.date_modified_gmt}Z`) - Date.parse(`${y.date_modified_gmt}Z`) || x.id - y.id);
    const totalPages = Math.max(1, Math.ceil(all.length / perPage));
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage),
      headers: { 'x-wp-total': String(all.length), 'x-wp-totalpages': String(totalPages) },
    };
  }
}
