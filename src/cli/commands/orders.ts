import type { Command } from 'commander';
import type { Db } from '../../db/db.js';
import { DomainError } from '../../domain/domain-error.js';
import { fromCents } from '../../domain/money.js';
import { listOrders } from '../../domain/orders/list-orders.js';
import { loadOrder } from '../../domain/orders/order-repository.js';
import { ORDER_STATUSES } from '../../domain/orders/order-status.js';
import { storedOrderTotal } from '../../domain/orders/order-total.js';
import { normalizeOrderId } from '../../tools/order-id-arg.js';
import { CliError } from '../cli-error.js';
import { formatAge } from '../format-age.js';
import { parseCliLimit } from '../parse-cli-limit.js';
import { withDb } from '../with-db.js';

type Print = (line: string) => void;

/** `orderops orders list`: newest first, filtered like GET /api/orders. */
export async function listOrdersCommand(
  db: Db,
  opts: { status?: string; q?: string; channel?: string; limit?: string; cursor?: string; json?: boolean },
  print: Print,
): Promise<void> {
  if (opts.status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(opts.status)) {
    throw new CliError(`--status must be one of ${ORDER_STATUSES.join(', ')}, got "${opts.status}"`);
  }
  if (opts.q !== undefined && !opts.q.trim()) throw new CliError('--q must not be empty');
  const page = await listOrders(
    db,
    { ...(opts.status ? { status: opts.status } : {}), ...(opts.q ? { q: opts.q.trim() } : {}), ...(opts.channel ? { channel: opts.channel } : {}) },
    { limit: parseCliLimit(opts.limit), cursor: opts.cursor ?? null },
  );
  if (opts.json) return print(JSON.stringify(page, null, 2));
  if (page.items.length === 0) print('no orders match');
  for (const { order: o, customerName } of page.items) {
    const skus = o.lines.map((l) => `${l.quantity}x ${l.sku ?? l.variantId}`).join(', ');
    print(`${o.id}  ${o.status.padEnd(10)}  ${(customerName ?? o.customerId).padEnd(20)}  ${fromCents(storedOrderTotal(o).totalCents).toFixed(2)} ${o.currency}  ${skus}  (${formatAge(o.placedAt)})`);
  }
  if (page.nextCursor) print(`more: --cursor ${page.nextCursor}`);
}

/** `orderops orders show <id>`: the order with its lines (SKUs), shipments and payments. */
export async function showOrderCommand(db: Db, rawId: string, opts: { json?: boolean }, print: Print): Promise<void> {
  const id = normalizeOrderId(rawId);
  const o = await loadOrder(db, id);
  if (!o) throw new DomainError('not_found', 'order_not_found', `order ${id} not found`);
  if (opts.json) return print(JSON.stringify(o, null, 2));
  const totals = storedOrderTotal(o);
  print(`${o.id} (${o.channel} ${o.externalId}): ${o.status}${o.holdReason ? ` (${o.holdReason})` : ''}${o.cancelReason ? ` (${o.cancelReason})` : ''}`);
  print(`  customer  ${o.customerId}${o.email ? ` <${o.email}>` : ''}`);
  print(`  placed    ${o.placedAt.toISOString()} (${formatAge(o.placedAt)})`);
  for (const l of o.lines) print(`  line      ${l.quantity}x ${l.sku ?? l.variantId}  ${l.name}  ${fromCents(l.priceCents).toFixed(2)}${l.locationId ? `  from ${l.locationId}` : ''}`);
  for (const s of o.shipments) print(`  shipment  ${s.id} ${s.status}${s.carrier ? ` ${s.carrier}` : ''}${s.trackingNumber ? ` ${s.trackingNumber}` : ''}`);
  for (const p of o.payments) print(`  ${p.kind.padEnd(8)}  ${fromCents(p.amountCents).toFixed(2)} ${o.currency} (${p.paymentMethodId})`);
  print(`  total     ${fromCents(totals.totalCents).toFixed(2)} ${o.currency}`);
}

export function registerOrdersCommand(program: Command): void {
  const orders = program.command('orders').description('Orders: list and search, show one');
  const print = (l: string) => console.log(l);

  orders
    .command('list')
    .description('Orders, newest placed first')
    .option('--status <status>', 'only this status, e.g. on_hold, pending, shipped')
    .option('--q <text>', 'part of the order id or number, customer email or name, a SKU, or a tracking number')
    .option('--channel <channel>', 'only this sales channel')
    .option('--limit <n>', 'at most this many (default 20)')
    .option('--cursor <cursor>', 'the next page, as printed after "more:"')
    .option('--json', 'print as JSON')
    .action((opts: { status?: string; q?: string; channel?: string; limit?: string; cursor?: string; json?: boolean }) =>
      withDb((db) => listOrdersCommand(db, opts, print)),
    );

  orders
    .command('show <id>')
    .description('One order: lines with SKUs, shipments, payments (#W1234567, W1234567 or 1234567)')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => withDb((db) => showOrderCommand(db, id, opts, print)));
}
