import type { Command } from 'commander';
import { sharedCarriers } from '../../config/shared-carriers.js';
import { CarrierError } from '../../domain/shipping/carrier.js';
import { fulfilOrder } from '../../domain/shipping/fulfil-order.js';
import { normalizeOrderId } from '../../tools/order-id-arg.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

export function registerFulfilCommand(program: Command): void {
  program
    .command('fulfil')
    .description('Fulfil one paid, routed order: a shipment per location, a label for each (never bought twice), the order to processed')
    .argument('<order>', 'the order id, e.g. "#W1234567" or W1234567')
    .action(async (raw: string) => {
      const orderId = normalizeOrderId(raw);
      if (!orderId) throw new CliError('<order>: give the order id');
      await withDb(async (db, config) => {
        try {
          const r = await fulfilOrder(db, sharedCarriers(config), orderId, { kind: 'person', id: 'cli' });
          console.log(`order ${r.orderId}: ${r.status}; ${r.labelsBought} label(s) bought now, ${r.shipments.length} shipment(s)`);
          for (const s of r.shipments) {
            console.log(`  shipment ${s.id} from ${s.locationId}: ${s.carrier ?? '-'} ${s.service ?? ''} ${s.trackingNumber ?? '(no label)'} ${s.rateAmount ?? ''} ${s.rateCurrency ?? ''} ${s.status}`.trimEnd());
          }
        } catch (err) {
          if (err instanceof CarrierError) throw new CliError(`${err.message}${err.retryable ? ' (run it again later: nothing is bought twice)' : ''}`);
          throw err;
        }
      });
    });
}
