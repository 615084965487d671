import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import type { AlertSink } from './alert-sink.js';
import type { AnomalyFlag } from './flags/anomaly-flag.js';
import { raiseFlagWithAlert } from './flags/raise-flag-with-alert.js';

/** The payload of `order.held_on_intake`, as ingestChannelOrder writes it. */
export interface HeldOnIntakeEvent {
  orderId: string;
  channel: string;
  externalId: string;
  reasons: { code: string; path: string; message: string }[];
}

/**
 * Flags a channel order that entered the ledger on hold (unknown SKU, missing address, a price
 * we disagree with), so a person mends it; a redelivered event refreshes the same flag.
 */
export async function flagHeldIntake(
  db: Db,
  event: HeldOnIntakeEvent,
  actor: Actor,
  options: { alerts?: AlertSink; log?: (line: string) => void } = {},
): Promise<{ flag: AnomalyFlag; created: boolean }> {
  const reasons = event.reasons.map((r) => `${r.path}: ${r.message}`);
  return raiseFlagWithAlert(
    db,
    {
      subjectType: 'order',
      subjectId: event.orderId,
      rule: 'held_on_intake',
      category: 'operations',
      severity: 'warning',
      score: 50,
      title: `${event.channel} order ${event.externalId} is held: ${[...new Set(event.reasons.map((r) => r.code))].join(', ')}`,
      reasons,
      evidence: { channel: event.channel, externalId: event.externalId, reasons: event.reasons },
    },
    actor,
    options.alerts,
    options.log,
  );
}
