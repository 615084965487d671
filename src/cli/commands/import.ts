import { createReadStream, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { routingSettingsFromConfig } from '../../config/routing-settings-from-config.js';
import { importOrdersCsv, type OrderCsvFormat, type OrderRejection } from '../../connectors/storefronts/csv/import-orders-csv.js';
import { importProductsCsv } from '../../connectors/storefronts/csv/import-products-csv.js';
import type { Actor } from '../../domain/actor.js';
import { estimatedShippingQuoter } from '../../domain/routing/estimated-shipping-quoter.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

const operator = (): Actor => ({ kind: 'person', id: `cli:${userInfo().username}` });

const ORDERS_HELP = `
How orders are taken:
  Every order (the rows sharing a Name in a Shopify export, or a channel + external_id in the
  canonical layout) is its own transaction.
  - rejected: it cannot be read (a missing or malformed field: email, quantity, price, date...)
    or the ledger refuses it; nothing of it is written. Each is reported with its first row's line
    number and the reason, on stderr or in the --rejects file (CSV: line,external_id,reason).
  - held: it reads, but names what we do not know or agree with (an unknown SKU, no address for a
    line that ships, a total that is not the sum of its parts): it enters the ledger on_hold with
    the reasons and a flag, exactly as a storefront webhook would.
  - duplicate: (channel, external id) is already in the ledger; nothing is written, so running the
    same file again imports nothing twice.
  The last line on stdout is a JSON summary: {"imported","held","rejected","duplicates","rows","orders","seconds"}.
  Progress goes to stderr: a bar on a terminal, a plain line every few seconds otherwise.

Shopify layout (columns found by header name): Name, Id, Email, Currency, Created at, Total,
  Shipping, Shipping Method, Taxes, Tax N Name / Tax N Value, Discount Code, Discount Amount,
  Notes, Tags, Payment Method (PayPal → paypal, else card), Billing * and Shipping * (Name,
  Address1/Street, Address2, Company, City, Zip, Province, Country, Phone), and per row
  Lineitem quantity, name, price, sku, requires shipping, discount. The external id is Id (the
  id Shopify's webhooks carry), Name when there is no Id column.
Canonical layout: one row per line; see src/connectors/storefronts/csv/canonical-order-csv.ts
  and docs/CSV-IMPORT.md for the columns.
Routing uses the rate-card estimate, never live carrier quotes, so an import makes no carrier calls.`;

export function registerImportCommand(program: Command): void {
  const imp = program.command('import').description('Import products or orders from CSV files');

  imp
    .command('products <csv>')
    .description("Create or update products and variants from a Shopify product CSV (matched by Handle and Variant SKU)")
    .action(async (file: string) => {
      const started = Date.now();
      const summary = await withDb((db) =>
        importProductsCsv(db, openCsv(file), {
          actor: operator(),
          onRejected: (r) => console.error(`rejected: line ${r.line} (${r.handle}): ${r.reason}`),
        }),
      );
      console.log(JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 }));
    });

  imp
    .command('orders <csv>')
    .description('Import orders from a Shopify orders export or the canonical CSV layout')
    .option('--format <format>', 'shopify or canonical', 'shopify')
    .option('--channel <channel>', 'the channel the orders came from (canonical rows may name their own)', '')
    .option('--rejects <file>', 'write rejected orders here (CSV) instead of stderr')
    .option('--concurrency <n>', 'orders in flight at once on PostgreSQL (embedded PGlite takes one at a time)', '4')
    .addHelpText('after', ORDERS_HELP)
    .action(async (file: string, opts: { format: string; channel: string; rejects?: string; concurrency: string }) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
        throw new CliError(`--concurrency must be a whole number from 1 to 32, got "${opts.concurrency}"`);
      }
      if (opts.format !== 'shopify' && opts.format !== 'canonical') throw new CliError(`--format must be shopify or canonical, got "${opts.format}"`);
      const format: OrderCsvFormat = opts.format;
      const channel = opts.channel || (format === 'shopify' ? 'shopify' : 'csv');
      if (!/^[a-z0-9][a-z0-9_.-]{0,39}$/.test(channel)) throw new CliError(`--channel must be a short lowercase channel name, got "${channel}"`);
      const input = openCsv(file);
      // bytesRead, not a 'data' listener: one would start the stream before the parser is piped.
      const progress = progressReporter(statSync(file).size, () => input.bytesRead);
      if (opts.rejects) writeFileSync(opts.rejects, 'line,external_id,reason\n');
      const report = (r: OrderRejection) => {
        if (opts.rejects) appendFileSync(opts.rejects, `${r.line},${csvCell(r.externalId)},${csvCell(r.reason)}\n`);
        else console.error(`rejected: line ${r.line} (${r.externalId}): ${r.reason}`);
      };
      const started = Date.now();
      const summary = await withDb((db, config) =>
        importOrdersCsv(db, input, {
          format,
          channel,
          actor: operator(),
          order: { routing: routingSettingsFromConfig(config, estimatedShippingQuoter) },
          concurrency: db.kind === 'postgres' ? concurrency : 1,
          onRejected: report,
          onProgress: (s) => progress.update(s.rows, s.orders),
        }),
      );
      progress.done();
      const { imported, held, rejected, duplicates, rows, orders } = summary;
      console.log(JSON.stringify({ imported, rejected, duplicates, held, rows, orders, seconds: (Date.now() - started) / 1000 }));
    });
}

function openCsv(file: string) {
  try {
    statSync(file);
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  return createReadStream(file);
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A bar on a terminal; elsewhere (a pipe, a log) a plain line at most every few seconds. */
function progressReporter(totalBytes: number, bytesRead: () => number) {
  if (process.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: '[{bar}] {percentage}% {rows} rows, {orders} orders', hideCursor: true, fps: 10 },
      cliProgress.Presets.legacy,
    );
    bar.start(Math.max(1, totalBytes), 0, { rows: 0, orders: 0 });
    return {
      update: (rows: number, orders: number) => bar.update(Math.min(bytesRead(), totalBytes), { rows, orders }),
      done: () => {
        bar.update(Math.max(1, totalBytes));
        bar.stop();
      },
    };
  }
  const every = 5000;
  let last = Date.now();
  return {
    update(rows: number, orders: number) {
      if (Date.now() - last < every) return;
      last = Date.now();
      const pct = totalBytes > 0 ? Math.floor(Math.min(1, bytesRead() / totalBytes) * 100) : 100;
      process.stderr.write(`import: ${pct}% read, ${rows} rows, ${orders} orders\n`);
    },
    done: () => undefined,
  };
}
