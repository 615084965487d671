import type { Command } from 'commander';
import { checkInventoryIntegrity } from '../../domain/inventory/check-inventory-integrity.js';
import { countStock } from '../../domain/inventory/count-stock.js';
import { receiveStock } from '../../domain/inventory/receive-stock.js';
import { receiveTransfer } from '../../domain/inventory/receive-transfer.js';
import { transferStock } from '../../domain/inventory/transfer-stock.js';
import { CliError } from '../cli-error.js';
import { cliOperator as operator } from '../cli-operator.js';
import { proposeInventoryRepair } from '../propose-inventory-repair.js';
import { withDb } from '../with-db.js';

function wholeNumber(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${option} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

export function registerInventoryCommand(program: Command): void {
  const inventory = program.command('inventory').description('Stock: integrity check and repair, receipts, transfers, counts');

  inventory
    .command('check')
    .description('Find every disagreement between levels, movements, reservations, orders and transfers (exit 1 when any)')
    .option('--repair', 'propose every automatic fix as one approval')
    .option('--json', 'print the findings as JSON')
    .action(async (opts: { repair?: boolean; json?: boolean }) => {
      const code = await withDb(async (db, config) => {
        const findings = await checkInventoryIntegrity(db, { stuckTransferDays: config.INVENTORY_STUCK_TRANSFER_DAYS });
        if (opts.json) console.log(JSON.stringify(findings, null, 2));
        else if (findings.length === 0) console.log('inventory check: no disagreements');
        else {
          console.log(`inventory check: ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
          for (const f of findings) {
            console.log(`- [${f.kind}] ${f.problem} (${f.units} unit${f.units === 1 ? '' : 's'})`);
            console.log(`    fix: ${f.proposed_fix}${f.fix ? '' : ' (needs a person)'}`);
          }
        }
        if (opts.repair && findings.length > 0) {
          const proposed = await proposeInventoryRepair(db, config, findings, operator());
          if (!proposed) console.log('no finding can be repaired automatically');
          else {
            const a = proposed.approval;
            const n = (a.args.fixes as unknown[]).length;
            console.log(
              `${proposed.created ? 'proposed' : 'already waiting'}: approval ${a.id} (${n} fix${n === 1 ? '' : 'es'}, expires ${a.expiresAt}); ` +
                'an approver decides it in Slack, the dashboard or `orderops chat`',
            );
          }
        }
        return findings.length > 0 ? 1 : 0;
      });
      process.exitCode = code;
    });

  inventory
    .command('receive')
    .description('Book goods received at a location (a receipt movement)')
    .requiredOption('--sku <sku>', 'variant SKU')
    .requiredOption('--location <id>', 'location id')
    .requiredOption('--quantity <n>', 'units received')
    .option('--reference <text>', 'purchase order or packing slip', '')
    .action(async (opts: { sku: string; location: string; quantity: string; reference: string }) => {
      const quantity = wholeNumber('--quantity', opts.quantity, 1);
      await withDb(async (db) => {
        const r = await receiveStock(db, { sku: opts.sku, locationId: opts.location, quantity, reference: opts.reference }, operator());
        console.log(`received ${r.quantity} ${r.sku} at ${r.location_id}: on hand ${r.on_hand_before} -> ${r.on_hand_after}`);
      });
    });

  inventory
    .command('transfer')
    .description('Send units to another location (in transit until received), or --receive <id> to book one in')
    .option('--sku <sku>', 'variant SKU')
    .option('--from <id>', 'source location id')
    .option('--to <id>', 'destination location id')
    .option('--quantity <n>', 'units to send')
    .option('--reason <text>', 'why', '')
    .option('--receive <transferId>', 'book an in-transit transfer in at its destination')
    .action(async (opts: { sku?: string; from?: string; to?: string; quantity?: string; reason: string; receive?: string }) => {
      if (opts.receive !== undefined) {
        const id = wholeNumber('--receive', opts.receive, 1);
        await withDb(async (db) => {
          const t = await receiveTransfer(db, id, operator());
          console.log(`transfer ${t.id}: ${t.quantity} ${t.sku} received at ${t.to_location_id}`);
        });
        return;
      }
      for (const [name, v] of [['--sku', opts.sku], ['--from', opts.from], ['--to', opts.to], ['--quantity', opts.quantity]] as const) {
        if (!v) throw new CliError(`${name} is required (or --receive <transferId>)`);
      }
      const quantity = wholeNumber('--quantity', opts.quantity!, 1);
      await withDb(async (db) => {
        const t = await transferStock(
          db,
          { sku: opts.sku!, fromLocationId: opts.from!, toLocationId: opts.to!, quantity, reason: opts.reason },
          operator(),
        );
        console.log(`transfer ${t.id}: ${t.quantity} ${t.sku} from ${t.from_location_id} in transit to ${t.to_location_id}`);
      });
    });

  inventory
    .command('count')
    .description('Record a cycle count: the counted figure becomes on hand through a count movement')
    .requiredOption('--sku <sku>', 'variant SKU')
    .requiredOption('--location <id>', 'location id')
    .requiredOption('--counted <n>', 'units counted on the shelf')
    .requiredOption('--reason <text>', 'why, for example "weekly cycle count"')
    .action(async (opts: { sku: string; location: string; counted: string; reason: string }) => {
      const counted = wholeNumber('--counted', opts.counted, 0);
      if (!opts.reason.trim()) throw new CliError('--reason must not be empty');
      await withDb(async (db) => {
        const c = await countStock(db, { sku: opts.sku, locationId: opts.location, counted, reason: opts.reason }, operator());
        console.log(`counted ${c.counted} ${c.sku} at ${c.location_id}: difference ${c.difference > 0 ? '+' : ''}${c.difference}`);
      });
    });
}
