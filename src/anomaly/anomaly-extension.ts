import type { Actor } from '../domain/actor.js';
import { logLine } from '../config/logger.js';
import { QUEUES } from '../jobs/queue-names.js';
import type { AppExtension } from '../server/start-app.js';
import { backfillFeatureCounters, featureCountersBackfilled } from './backfill-feature-counters.js';
import { flagHeldIntake, type HeldOnIntakeEvent } from './flag-held-intake.js';
import { scoreOrder } from './score-order.js';
import { parseSlaPolicy } from './sla-policy.js';
import { scanSla } from './sla-monitor.js';
import { summariseSweep } from './summarise-sweep.js';
import { DEFAULT_STOCK_SETTINGS, onStockMovement, scanStock } from './stock-monitor.js';
import { onChannelStockProblem } from './channel-stock-flag.js';
import { CHANNEL_STOCK_PROBLEM_TOPIC, type ChannelStockProblemEvent } from '../domain/sales-channels/report-channel-stock-problems.js';

const SWEEP_EVERY_MS = 5 * 60_000;
const detector: Actor = { kind: 'job', id: 'anomaly-detector' };

/**
 * Anomaly detection as a part of `npm start`: scores each order as its order.created event is
 * relayed, checks stock on each movement event, and sweeps stock cover and SLAs on a schedule.
 * Alerts go where the composition root points `ctx.alerts`.
 */
export const anomalyExtension: AppExtension = async (ctx) => {
  const { config, db, queue, alerts } = ctx;
  const stockSettings = { ...DEFAULT_STOCK_SETTINGS, leadTimeDays: config.ANOMALY_LEAD_TIME_DAYS };
  const slaPolicy = parseSlaPolicy(config.ANOMALY_SLA_HOURS);

  ctx.onOutbox('order.created', async (event) => {
    await scoreOrder(db, String(event.payload.orderId), detector, {
      reviewScore: config.ANOMALY_REVIEW_SCORE,
      holdScore: config.ANOMALY_HOLD_SCORE,
      alerts,
      log: ctx.log,
    });
  }, 'anomaly.score-order');
  ctx.onOutbox('order.held_on_intake', (e) => flagHeldIntake(db, e.payload as unknown as HeldOnIntakeEvent, detector, { alerts, log: ctx.log }).then(() => undefined), 'anomaly.held-on-intake');
  ctx.onOutbox('inventory.movement', async (event) => {
    const p = event.payload as { movementId?: number; variantId: string; locationId: string; quantity: number; kind: string; at?: string };
    await onStockMovement(
      db,
      {
        ...(p.movementId !== undefined ? { movementId: Number(p.movementId) } : {}),
        variantId: p.variantId,
        locationId: p.locationId,
        quantity: p.quantity,
        kind: p.kind,
        ...(p.at ? { at: new Date(p.at) } : {}),
      },
      { settings: stockSettings, actor: detector, alerts, log: ctx.log },
    );
  }, 'anomaly.stock-movement');
  ctx.onOutbox(CHANNEL_STOCK_PROBLEM_TOPIC, (e) => onChannelStockProblem(db, e.payload as unknown as ChannelStockProblemEvent, { actor: detector, alerts, log: ctx.log }), 'anomaly.channel-stock-problem');
  const sweepLogger = ctx.logger.child({ component: 'monitors' });
  const sweepLog = { info: logLine(sweepLogger), debug: logLine(sweepLogger, 'debug') };
  queue.register(QUEUES.monitorSweep, async () => {
    const startedAt = new Date();
    const stock = await scanStock(db, { settings: stockSettings, actor: detector, alerts, log: ctx.log });
    summariseSweep(sweepLog, 'stock sweep', stock.flatMap((c) => c.raised), stock.reduce((n, c) => n + c.cleared.length, 0), startedAt);
    const sla = await scanSla(db, { policy: slaPolicy, actor: detector, alerts, log: ctx.log, labelScanHours: config.LABEL_SCAN_HOURS });
    summariseSweep(sweepLog, 'SLA sweep', sla.raised, sla.cleared.length, startedAt);
  }, { concurrency: 1 });

  // A store that had orders before detection was on gives the counters that history, once, in
  // the background: the server is up meanwhile, and a stop mid-way resumes on the next start.
  const stopBackfill = new AbortController();
  const backfill = featureCountersBackfilled(db)
    .then((done) => (done ? undefined : backfillFeatureCounters(db, { log: ctx.log, signal: stopBackfill.signal })))
    .catch((err: unknown) => ctx.log(`anomaly backfill stopped: ${(err as Error).message}`));

  const sweep = setInterval(() => {
    // One sweep per slot: the job id makes a slow sweep and the next tick collapse into one run.
    const slot = Math.floor(Date.now() / SWEEP_EVERY_MS);
    queue.enqueue(QUEUES.monitorSweep, {}, { jobId: `sweep-${slot}`, attempts: 1 }).catch((err: unknown) => {
      ctx.log(`anomaly sweep not scheduled: ${(err as Error).message}`);
    });
  }, SWEEP_EVERY_MS);
  sweep.unref();
  ctx.log(`anomaly detection: on (review at ${config.ANOMALY_REVIEW_SCORE}, hold at ${config.ANOMALY_HOLD_SCORE}; alerts to ${config.SLACK_BOT_TOKEN ? 'Slack' : 'the log'})`);
  return async () => {
    clearInterval(sweep);
    stopBackfill.abort();
    await backfill;
  };
};
