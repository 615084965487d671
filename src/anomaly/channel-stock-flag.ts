import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import type { ChannelStockProblemEvent } from '../domain/sales-channels/report-channel-stock-problems.js';
import type { AlertSink } from './alert-sink.js';
import { clearFlags } from './flags/clear-flags.js';
import { raiseFlagWithAlert } from './flags/raise-flag-with-alert.js';

export const CHANNEL_STOCK_RULE = 'channel_stock_mismatch';

/** The stock flag subject of one variant on one channel. */
export const channelStockSubject = (variantId: string, channel: string) => `${variantId}@channel:${channel}`;

/**
 * Turns a channel stock problem event into a stock flag (a channel that keeps failing our pushes
 * or keeps holding another value than ours), and resolves it when the channel is in step again.
 */
export async function onChannelStockProblem(
  db: Db,
  event: ChannelStockProblemEvent,
  deps: { actor: Actor; alerts?: AlertSink; log?: (line: string) => void },
): Promise<void> {
  const subjectId = channelStockSubject(event.variantId, event.channel);
  if (event.state === 'recovered') {
    await clearFlags(db, 'stock', subjectId, [CHANNEL_STOCK_RULE], deps.actor, 'the channel accepted our quantity again');
    return;
  }
  const reasons: string[] = [];
  if (event.failingSince) {
    reasons.push(`stock pushes to ${event.channel} have failed since ${event.failingSince} (${event.attempts} attempts; last error: ${event.lastError ?? 'unknown'})`);
  }
  if (event.mismatchSince) {
    reasons.push(
      `${event.channel} has held a value other than ours since ${event.mismatchSince} (it reports ${event.channelQuantity ?? 'unknown'}, we last set ${event.pushedQuantity ?? 'nothing'})`,
    );
  }
  await raiseFlagWithAlert(
    db,
    {
      subjectType: 'stock',
      subjectId,
      rule: CHANNEL_STOCK_RULE,
      category: 'stock',
      severity: 'warning',
      score: 70,
      title: `${event.sku} on ${event.channel}: channel stock out of step`,
      reasons,
      evidence: { ...event },
    },
    deps.actor,
    deps.alerts,
    deps.log,
  );
}
