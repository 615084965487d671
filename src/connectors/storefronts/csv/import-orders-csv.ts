import type { Readable } from 'node:stream';
import type { Db } from '../../../db/db.js';
import type { Actor } from '../../../domain/actor.js';
import { isDomainError } from '../../../domain/domain-error.js';
import type { CanonicalOrder } from '../../../domain/orders/canonical-order.js';
import type { CreateOrderOptions } from '../../../domain/orders/create-order.js';
import { ingestChannelOrder } from '../../../domain/orders/ingest-channel-order.js';
import { canonicalOrderKeyOf, orderFromCanonicalRows } from './canonical-order-csv.js';
import { groupConsecutiveRows } from './group-consecutive-rows.js';
import { readCsvRows, type CsvRow } from './read-csv-rows.js';
import { orderFromShopifyRows, shopifyOrderKeyOf, type CsvOrderResult } from './shopify-order-csv.js';

export type OrderCsvFormat = 'shopify' | 'canonical';

export interface ImportOrdersSummary {
  rows: number;
  orders: number;
  /** Orders new to the ledger, held ones included. */
  imported: number;
  /** Of the imported, those that entered on hold (unknown SKU, no address, a total we disagree with). */
  held: number;
  rejected: number;
  /** Orders already in the ledger under the same (channel, external id): nothing written. */
  duplicates: number;
}

export interface OrderRejection {
  line: number;
  externalId: string;
  reason: string;
}

export interface ImportOrdersOptions {
  format: OrderCsvFormat;
  /** The channel of a Shopify export, or of canonical rows without a channel column. */
  channel: string;
  actor: Actor;
  order?: CreateOrderOptions;
  onRejected?: (rejection: OrderRejection) => void;
  /**
   * Orders in flight at once (default 1). More than one helps only on PostgreSQL, whose pool
   * runs them in parallel; orders of the same SKUs still queue on the stock locks.
   */
  concurrency?: number;
  /** Called after every order with the running summary. */
  onProgress?: (summary: Readonly<ImportOrdersSummary>) => void;
}

const READERS: Record<OrderCsvFormat, { keyOf: (row: CsvRow) => string; read: (rows: CsvRow[], channel: string) => CsvOrderResult }> = {
  shopify: { keyOf: shopifyOrderKeyOf, read: orderFromShopifyRows },
  canonical: { keyOf: canonicalOrderKeyOf, read: orderFromCanonicalRows },
};

/**
 * Streams an orders CSV into the ledger one order at a time. An order that cannot be read
 * (a missing or malformed field) or that the ledger refuses is rejected and leaves nothing
 * behind (each order is its own transaction); one that is only unknown to us (a SKU, an
 * address, a price) goes in held, as from any channel. Running the same file again imports
 * nothing twice: each order is keyed by (channel, external id).
 */
export async function importOrdersCsv(db: Db, input: Readable, options: ImportOrdersOptions): Promise<ImportOrdersSummary> {
  const summary: ImportOrdersSummary = { rows: 0, orders: 0, imported: 0, held: 0, rejected: 0, duplicates: 0 };
  const reader = READERS[options.format];
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const inFlight = new Set<Promise<void>>();
  const ingest = async (order: CanonicalOrder, line: number) => {
    try {
      const result = await ingestChannelOrder(db, order, options.actor, options.order);
      if (!result.created) summary.duplicates++;
      else {
        summary.imported++;
        if (result.holds.length > 0) summary.held++;
      }
    } catch (err) {
      if (!isDomainError(err)) throw err;
      summary.rejected++;
      options.onRejected?.({ line, externalId: order.external_id, reason: err.message });
    }
    options.onProgress?.(summary);
  };
  for await (const group of groupConsecutiveRows(readCsvRows(input), reader.keyOf)) {
    summary.rows += group.length;
    summary.orders++;
    const parsed = reader.read(group, options.channel);
    if (!parsed.ok) {
      summary.rejected++;
      options.onRejected?.({ line: parsed.line, externalId: reader.keyOf(group[0]!).replace('\u0000', '/'), reason: parsed.reason });
      options.onProgress?.(summary);
      continue;
    }
    const pending: Promise<void> = ingest(parsed.order, group[0]!.line).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return summary;
}
