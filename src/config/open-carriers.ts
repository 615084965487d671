import { join } from 'node:path';
import type { Carrier } from '../domain/shipping/carrier.js';
import { FileSandboxLabelStore } from '../connectors/carriers/sandbox-label-store.js';
import { SandboxCarrier } from '../connectors/carriers/sandbox-carrier.js';
import type { Config } from './config.js';

export interface OpenCarriersOptions {
  /** Now, for the sandbox's timeline and webhook ages (tests). */
  clock?: () => Date;
}

/**
 * The carrier adapters CARRIERS enables, in its order (`sandbox` when unset). The sandbox keeps
 * what it sold under DATA_DIR, so its labels and timelines survive a restart.
 */
export function openCarriers(config: Config, options: OpenCarriersOptions = {}): Carrier[] {
  return config.CARRIERS.map((account): Carrier => {
    switch (account) {
      case 'sandbox':
        return new SandboxCarrier({
          clock: options.clock,
          store: new FileSandboxLabelStore(join(config.DATA_DIR, 'sandbox-carrier', 'labels.jsonl')),
          webhookSecret: config.SANDBOX_CARRIER_WEBHOOK_SECRET,
        });
      default:
        throw new Error(`CARRIERS: the ${account} adapter is not available in this build`);
    }
  });
}
