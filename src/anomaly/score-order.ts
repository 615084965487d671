import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import { transitionOrder, transitionRefusal } from '../domain/orders/order-state-machine.js';
import type { AlertSink, AnomalyAlert } from './alert-sink.js';
import type { AnomalyFlag } from './flags/anomaly-flag.js';
import { raiseFlag } from './flags/raise-flag.js';
import { loadOrderObservation } from './load-order-observation.js';
import { PostgresFeatureCounters } from './postgres-feature-counters.js';
import { assessRisk, type FiredRule } from './risk-score.js';
import type { AnomalyRule, RuleArgs } from './rules/anomaly-rule.js';
import { DEFAULT_ORDER_RULES } from './rules/default-order-rules.js';
import { orderRiskFeatures, type OrderRiskFeatures } from './rules/order-risk-features.js';

export interface ScoreOrderDeps {
  reviewScore: number;
  holdScore: number;
  alerts: AlertSink;
  rules?: readonly AnomalyRule<OrderRiskFeatures, RuleArgs>[];
  log?: (line: string) => void;
}

export type RiskDecision = 'pass' | 'review' | 'hold';

export interface OrderScore {
  orderId: string;
  score: number;
  decision: RiskDecision;
  fired: FiredRule[];
  flag: AnomalyFlag | null;
  /** True when this call moved the order to on_hold. */
  held: boolean;
  /** Why a hold-worthy order was not held (already shipped, cancelled ...). */
  holdRefused: string | null;
  /** True when the order had been scored before and this call changed nothing. */
  repeat: boolean;
}

/**
 * Scores one order on its arrival (the order.created event): folds it into the feature counters,
 * runs the rules on what the counters held before it, records the score, raises a flag at the
 * review threshold and, at the hold threshold, moves the order to on_hold through the state
 * machine — all in one transaction. The alert goes out after commit. Scoring an order twice
 * returns the first result and alerts nothing.
 */
export async function scoreOrder(db: Db, orderId: string, actor: Actor, deps: ScoreOrderDeps): Promise<OrderScore> {
  const rules = deps.rules ?? DEFAULT_ORDER_RULES;
  const result = await db.transaction(async (tx) => {
    await tx.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    const previous = await tx.query<{ score: string; decision: RiskDecision; fired: FiredRule[] }>(
      'SELECT score, decision, fired FROM anomaly_order_scores WHERE order_id = $1',
      [orderId],
    );
    if (previous.rows[0]) {
      const p = previous.rows[0];
      const flags = await tx.query<{ id: number }>(
        `SELECT id FROM anomaly_flags WHERE subject_type = 'order' AND subject_id = $1 AND rule = 'order_risk' ORDER BY id DESC LIMIT 1`,
        [orderId],
      );
      return {
        score: { orderId, score: Number(p.score), decision: p.decision, fired: p.fired, flag: null, held: false, holdRefused: null, repeat: true },
        flagId: flags.rows[0]?.id ?? null,
      };
    }

    const { observation, status } = await loadOrderObservation(tx, orderId);
    const snapshot = await new PostgresFeatureCounters(tx).observe(observation);
    const { score, fired } = assessRisk(orderRiskFeatures(observation, snapshot), rules);
    const decision: RiskDecision = score >= deps.holdScore ? 'hold' : score >= deps.reviewScore ? 'review' : 'pass';
    await tx.query('INSERT INTO anomaly_order_scores (order_id, score, decision, fired) VALUES ($1, $2, $3, $4)', [
      orderId,
      score,
      decision,
      JSON.stringify(fired),
    ]);

    let flag: AnomalyFlag | null = null;
    let held = false;
    let holdRefused: string | null = null;
    if (decision !== 'pass') {
      ({ flag } = await raiseFlag(
        tx,
        {
          subjectType: 'order',
          subjectId: orderId,
          rule: 'order_risk',
          category: 'risk',
          severity: decision === 'hold' ? 'critical' : 'warning',
          score,
          title: decision === 'hold' ? `order held for review: risk score ${score}` : `order risk score ${score}: worth a look`,
          reasons: fired.map((f) => f.reason),
          evidence: { fired, decision, thresholds: { review: deps.reviewScore, hold: deps.holdScore } },
        },
        actor,
      ));
    }
    if (decision === 'hold') {
      holdRefused = transitionRefusal(status, 'on_hold');
      if (!holdRefused) {
        const reason = `risk score ${score}: ${fired.slice(0, 3).map((f) => f.reason).join('; ')}`;
        await transitionOrder(tx, orderId, { to: 'on_hold', actor, reason, set: { hold_reason: reason.slice(0, 500) } });
        held = true;
      }
    }
    await recordAudit(tx, actor, {
      action: 'anomaly.order_scored',
      entityType: 'order',
      entityId: orderId,
      data: { score, decision, rules: fired.map((f) => f.code), held, holdRefused },
    });
    return { score: { orderId, score, decision, fired, flag, held, holdRefused, repeat: false }, flagId: flag?.id ?? null };
  });

  const s = result.score;
  if (!s.repeat && s.flag && s.decision === 'hold') {
    try {
      await deps.alerts.raise(holdAlert(s, s.flag));
    } catch (err) {
      deps.log?.(`alert for flag ${s.flag.id} (order ${orderId}) failed: ${(err as Error).message}`);
    }
  }
  return s;
}

function holdAlert(s: OrderScore, flag: AnomalyFlag): AnomalyAlert {
  return {
    subject: `order ${s.orderId}`,
    severity: 'critical',
    title: s.held
      ? `Order ${s.orderId} is on hold: risk score ${s.score}`
      : `Order ${s.orderId} scored ${s.score} but could not be held (${s.holdRefused})`,
    reasons: s.fired.map((f) => `${f.reason} (+${f.points})`),
    suggestedActions: s.held
      ? [
          { kind: 'release_order', label: 'Release', tool: 'release_order', args: { order_id: s.orderId } },
          {
            kind: 'cancel_and_refund',
            label: 'Cancel & refund',
            tool: 'cancel_and_refund_order',
            args: { order_id: s.orderId, reason: 'suspected fraud' },
          },
        ]
      : [{ kind: 'acknowledge_flag', label: 'Acknowledge', tool: 'acknowledge_flag', args: { flag_id: flag.id } }],
    flagId: flag.id,
    dedupeKey: `anomaly_flag:${flag.id}`,
  };
}
