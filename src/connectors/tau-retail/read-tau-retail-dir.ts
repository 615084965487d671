import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { DomainError } from '../../domain/domain-error.js';
import { tauOrderSchema, tauProductSchema, tauUserSchema, type TauOrder, type TauProduct, type TauUser } from './tau-retail-schema.js';

/** The three tau-retail collections, keyed by id, in file order. */
export interface TauRetailData {
  users: Record<string, TauUser>;
  orders: Record<string, TauOrder>;
  products: Record<string, TauProduct>;
}

export const TAU_RETAIL_FILES = ['users.json', 'orders.json', 'products.json'] as const;

const bad = (message: string) => new DomainError('invalid', 'tau_retail_bad_input', message);

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw bad(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

function parseCollection<T>(file: string, value: unknown, schema: z.ZodType<T>, idField?: string): Record<string, T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${file}: expected an object keyed by id`);
  const out: Record<string, T> = {};
  for (const [key, record] of Object.entries(value)) {
    const result = schema.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw bad(`${file}: record "${key}": ${issue.path.join('.') || '(record)'}: ${issue.message}`);
    }
    if (idField && (result.data as Record<string, unknown>)[idField] !== key) {
      throw bad(`${file}: record "${key}": ${idField} does not match its key`);
    }
    out[key] = result.data;
  }
  return out;
}

/**
 * Reads a tau-retail data directory: the v1 layout (users.json, orders.json, products.json) or,
 * when those are absent, a v2 db.json holding the same three collections. Throws a DomainError
 * naming the missing file or the first bad field.
 */
export function readTauRetailDir(dir: string): TauRetailData {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DomainError('not_found', 'tau_retail_dir_missing', `directory not found: ${dir}`);
  }
  let raw: { users: unknown; orders: unknown; products: unknown };
  const v1 = TAU_RETAIL_FILES.map((f) => join(dir, f));
  if (!v1.every(existsSync) && existsSync(join(dir, 'db.json'))) {
    const db = readJson(join(dir, 'db.json')) as Record<string, unknown>;
    for (const key of ['users', 'orders', 'products']) if (!(key in db)) throw bad(`${join(dir, 'db.json')}: no "${key}" collection`);
    const users = Object.fromEntries(
      Object.entries((db.users ?? {}) as Record<string, Record<string, unknown>>).map(([id, u]) => {
        const { user_id: _ignored, ...rest } = u;
        return [id, rest];
      }),
    );
    raw = { users, orders: db.orders, products: db.products };
  } else {
    const missing = v1.find((p) => !existsSync(p));
    if (missing) throw new DomainError('not_found', 'tau_retail_file_missing', `file not found: ${missing}`);
    raw = { users: readJson(v1[0]!), orders: readJson(v1[1]!), products: readJson(v1[2]!) };
  }
  const data: TauRetailData = {
    users: parseCollection('users.json', raw.users, tauUserSchema),
    orders: parseCollection('orders.json', raw.orders, tauOrderSchema, 'order_id'),
    products: parseCollection('products.json', raw.products, tauProductSchema, 'product_id'),
  };
  for (const [id, o] of Object.entries(data.orders)) {
    if (!data.users[o.user_id]) throw bad(`orders.json: order "${id}": user_id "${o.user_id}" is not in users.json`);
  }
  for (const [uid, u] of Object.entries(data.users)) {
    for (const oid of u.orders) if (!data.orders[oid]) throw bad(`users.json: user "${uid}": order "${oid}" is not in orders.json`);
    for (const [pid, m] of Object.entries(u.payment_methods)) if (m.id !== pid) throw bad(`users.json: user "${uid}": payment method "${pid}" has id "${m.id}"`);
  }
  for (const [pid, p] of Object.entries(data.products)) {
    for (const [vid, v] of Object.entries(p.variants)) if (v.item_id !== vid) throw bad(`products.json: product "${pid}": variant "${vid}" has item_id "${v.item_id}"`);
  }
  return data;
}
