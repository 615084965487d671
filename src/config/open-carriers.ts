import { join } from 'node:path';
import type { Carrier } from '../domain/shipping/carrier.js';
import { FileSandboxLabelStore } from '../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../connectors/carriers/sandbox-carrier.js';
import { EasyPostCarrier } from '../connectors/carriers/easypost-carrier.js';
import { ShippoCarrier } from '../connectors/carriers/shippo-carrier.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import { guardCarrier } from '../connectors/carriers/guard-carrier.js';
import type { Config } from './config.js';

export interface OpenCarriersOptions {
  /** Now, for the sandbox's timeline and webhook ages (tests). */
  clock?: () => Date;
  /** Puts each outside carrier behind its own circuit (`easypost`, `shippo`). */
  breakers?: CircuitBreakers;
}

/**
 * The carrier adapters CARRIERS enables, in its order (`sandbox` when unset). The sandbox keeps
 * what it sold under DATA_DIR, so its labels and timelines survive a restart.
 */
export function openCarriers(config: Config, options: OpenCarriersOptions = {}): Carrier[] {
  const guarded = (carrier: Carrier) => (options.breakers ? guardCarrier(carrier, options.breakers.for(carrier.account)) : carrier);
  return config.CARRIERS.map((account): Carrier => {
    switch (account) {
      case 'sandbox':
        return new SandboxCarrier({
          clock: options.clock,
          store: new FileSandboxLabelStore(join(config.DATA_DIR, 'sandbox-carrier', 'labels.jsonl')),
          webhookSecret: config.SANDBOX_CARRIER_WEBHOOK_SECRET,
        });
      // The keys are present: config refuses CARRIERS naming an adapter without them.
      case 'easypost':
        return guarded(new EasyPostCarrier({
          apiKey: config.EASYPOST_API_KEY!,
          apiUrl: config.EASYPOST_API_URL,
          webhookSecret: config.EASYPOST_WEBHOOK_SECRET,
          clock: options.clock,
        }));
      case 'shippo':
        return guarded(new ShippoCarrier({
          apiToken: config.SHIPPO_API_TOKEN!,
          apiUrl: config.SHIPPO_API_URL,
          webhookSecret: config.SHIPPO_WEBHOOK_SECRET,
          webhookHeader: config.SHIPPO_WEBHOOK_HEADER,
          clock: options.clock,
        }));
    }
  });
}
