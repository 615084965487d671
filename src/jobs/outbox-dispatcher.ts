import type { Db } from '../db/db.js';
import { observeRun, type JobObserver } from './job-observer.js';
import type { OutboxEvent, OutboxSubscriber } from './outbox-subscriber.js';
import { recordFailedJob } from './record-failed-job.js';

/** The dead-letter queue name of outbox events; their job id is `outbox-<id>`. */
export const OUTBOX_QUEUE = 'outbox';

export interface OutboxDispatcherOptions {
  subscribers: readonly OutboxSubscriber[];
  /** How long a claimed event stays locked; a worker killed mid-event blocks it no longer than this. */
  leaseMs?: number;
  /**
   * Tries per event, the first included; after the last the event is dead-lettered. The default
   * 12 with the default backoff rides out about 13.5 min of an outside service being down.
   */
  maxAttempts?: number;
  /** The wait after the first failure; it doubles per attempt, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Idle poll interval: the upper bound on commit-to-handler latency when nothing wakes it. */
  pollMs?: number;
  batch?: number;
  /** Events run at the same time. */
  concurrency?: number;
  log?: (line: string) => void;
  /** Hears about every handler run (queue `outbox`, job the subscriber's name), for metrics. */
  observer?: JobObserver;
}

/**
 * Runs the outbox's events through their subscribers, with the outbox as the durable record: an
 * event is done only when every subscriber of its topic has run, in the order they were given (the
 * first that fails stops the event until its retry), so a process that dies after a
 * commit (or mid-handler) leaves the event to the next worker. On PostgreSQL several workers share
 * the outbox (FOR UPDATE SKIP LOCKED).
 */
export interface OutboxDispatcher {
  /** Claims the events due now and runs them; returns how many it claimed. */
  runDue(): Promise<number>;
  /** Starts polling (every `pollMs`, at once after a full batch or `wake()`). */
  start(): Promise<void>;
  /** Polls now rather than at the next interval (after a commit in this process). */
  wake(): void;
  /** Stops polling and waits for the events in hand. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
  /** Failed before (a dead letter being retried starts its attempts again). */
  failed_before: boolean;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createOutboxDispatcher(db: Db, options: OutboxDispatcherOptions): OutboxDispatcher {
  const leaseMs = options.leaseMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 12;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 100;
  const batch = options.batch ?? 50;
  const concurrency = options.concurrency ?? 4;
  const log = options.log ?? (() => undefined);
  const byTopic = new Map<string, OutboxSubscriber[]>();
  for (const s of options.subscribers) {
    const list = byTopic.get(s.topic) ?? [];
    if (list.some((x) => x.name === s.name)) throw new Error(`two outbox handlers of ${s.topic} are named ${s.name}`);
    list.push(s);
    byTopic.set(s.topic, list);
  }

  const claim = async (): Promise<ClaimedRow[]> => {
    const skipLocked = db.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const { rows } = await db.query<ClaimedRow>(
      `UPDATE outbox SET locked_until = now() + $2::int * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (SELECT id FROM outbox
                      WHERE done_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
                        AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT $1 ${skipLocked})
        RETURNING id::int AS id, topic, payload, attempts, last_error IS NOT NULL AS failed_before`,
      [batch, leaseMs],
    );
    return rows.sort((a, b) => a.id - b.id);
  };

  const runEvent = async (row: ClaimedRow) => {
    // A slow handler keeps its lease, so no other worker starts the same event beside it.
    const renew = setInterval(() => {
      db.query(`UPDATE outbox SET locked_until = now() + $2::int * interval '1 millisecond' WHERE id = $1 AND done_at IS NULL`, [row.id, leaseMs])
        .catch((err: unknown) => log(`outbox event ${row.id}: lease not renewed: ${errorText(err)}`));
    }, Math.max(100, Math.floor(leaseMs / 3)));
    try {
      await handleEvent(row);
    } finally {
      clearInterval(renew);
    }
  };

  const handleEvent = async (row: ClaimedRow) => {
    const subscribers = byTopic.get(row.topic) ?? [];
    const event: OutboxEvent = { id: row.id, topic: row.topic, payload: row.payload };
    let error: string | null = null;
    if (subscribers.length) {
      // A first claim cannot find markers; a lone handler needs none, done_at says it ran.
      // Both save queries on the path every event takes (PGlite serialises them all).
      const { rows: handled } = row.attempts > 1 || row.failed_before
        ? await db.query<{ handler: string }>('SELECT handler FROM outbox_handled WHERE outbox_id = $1', [row.id])
        : { rows: [] };
      const done = new Set(handled.map((h) => h.handler));
      for (const s of subscribers) {
        if (done.has(s.name)) continue;
        try {
          await observeRun(options.observer, OUTBOX_QUEUE, s.name, () => s.handle(event));
          if (subscribers.length > 1) {
            await db.query('INSERT INTO outbox_handled (outbox_id, handler) VALUES ($1, $2) ON CONFLICT DO NOTHING', [row.id, s.name]);
          }
        } catch (err) {
          // Handlers of a topic run in their registered order, and later ones may rely on earlier
          // ones (an order is scored before it is fulfilled): they wait for this one's retry.
          error = `${s.name}: ${errorText(err)}`;
          break;
        }
      }
    }
    if (error === null) {
      await db.query(
        'UPDATE outbox SET done_at = now(), relayed_at = COALESCE(relayed_at, now()), locked_until = NULL, last_error = NULL WHERE id = $1',
        [row.id],
      );
      return;
    }
    if (row.attempts >= maxAttempts) {
      await db.transaction(async (tx) => {
        await tx.query('UPDATE outbox SET dead_at = now(), locked_until = NULL, last_error = $2 WHERE id = $1', [row.id, error]);
        await recordFailedJob(tx, { queue: OUTBOX_QUEUE, jobId: `outbox-${row.id}`, payload: event, error, attempts: row.attempts });
      });
      // On the dead-letter list, and only there: an outside service that is down must not flood the log.
      return;
    }
    const wait = Math.min(maxBackoffMs, backoffMs * 2 ** (row.attempts - 1));
    await db.query(
      `UPDATE outbox SET next_attempt_at = now() + $2::int * interval '1 millisecond', locked_until = NULL, last_error = $3 WHERE id = $1`,
      [row.id, wait, error],
    );
  };

  const runDue = async () => {
    const rows = await claim();
    let next = 0;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        await runEvent(row).catch((err: unknown) => log(`outbox event ${row.id}: ${errorText(err)}`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    return rows.length;
  };

  let stopped = true;
  let loop: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const sleep = () =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, pollMs);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });

  return {
    runDue,
    async start() {
      if (!stopped) return;
      stopped = false;
      // PGlite has one process: a lease still set was left by a process that died.
      if (db.kind === 'pglite') await db.query('UPDATE outbox SET locked_until = NULL WHERE locked_until IS NOT NULL AND done_at IS NULL');
      loop = (async () => {
        while (!stopped) {
          let claimed = 0;
          try {
            claimed = await runDue();
          } catch (err) {
            log(`outbox dispatch: ${errorText(err)}`);
          }
          if (claimed < batch && !stopped) await sleep();
        }
      })();
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
