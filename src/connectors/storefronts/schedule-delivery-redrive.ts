import type { Db } from '../../db/db.js';
import { redriveDeliveries } from '../../domain/sales-channels/redrive-deliveries.js';

export interface DeliveryRedriveOptions {
  db: Db;
  channel: string;
  periodMs: number;
  /** Queues one stored delivery; `slot` is the period's number, so a job id made with it is one per period. */
  enqueue: (deliveryId: string, slot: number) => Promise<unknown>;
  log: (line: string) => void;
}

/**
 * Queues the channel's unprocessed stored deliveries once at start-up (what a restart dropped from
 * an in-process queue) and then each period. Returns the stop function.
 */
export function scheduleDeliveryRedrive(options: DeliveryRedriveOptions): () => void {
  const run = () => {
    const slot = Math.floor(Date.now() / options.periodMs);
    void redriveDeliveries(options.db, options.channel, (id) => options.enqueue(id, slot)).catch((err: unknown) =>
      options.log(`${options.channel} deliveries not queued again: ${(err as Error).message}`),
    );
  };
  const first = setTimeout(run, 0);
  first.unref();
  const timer = setInterval(run, options.periodMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
