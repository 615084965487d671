import { InMemoryFeatureCounters } from '../in-memory-feature-counters.js';
import type { OrderObservation } from '../feature-counters.js';
import { assessRisk, combineRuleWeights } from '../risk-score.js';
import { DEFAULT_ORDER_RULES } from '../rules/default-order-rules.js';
import { orderRiskFeatures } from '../rules/order-risk-features.js';
import { averagePrecision, classificationMetrics } from '../stats/classification-metrics.js';
import { fitNoisyOrWeights } from '../stats/fit-noisy-or-weights.js';
import { readCsvRecords } from './read-csv-records.js';

export const FRAUD_COLUMNS = ['user_id', 'signup_time', 'purchase_time', 'purchase_value', 'device_id', 'source', 'class'] as const;

export interface FraudEvalOptions {
  /** Orders before this instant tune the weights and the hold threshold; the rest are reported. */
  tuneBefore: Date;
  /** The hold threshold is the lowest score whose tune-period precision stays at or above this. */
  targetPrecision: number;
  /** Pseudo-count pulling a fitted rule weight towards its configured default. */
  priorStrength: number;
}

export const DEFAULT_FRAUD_EVAL_OPTIONS: FraudEvalOptions = {
  tuneBefore: new Date('2015-06-01T00:00:00Z'),
  targetPrecision: 0.95,
  priorStrength: 5,
};

interface PeriodReport {
  precision: number;
  recall: number;
  f1: number;
  pr_auc: number;
  orders: number;
  fraud: number;
  held: number;
}

export interface FraudEvalReport {
  test: PeriodReport;
  all: PeriodReport;
  tune: PeriodReport;
  hold_threshold: number;
  weights: Record<string, number>;
  rule_firings: Record<string, { tune: number; test: number }>;
}

/** "2015-04-18 02:47" (GMT) as a Date. */
function gmt(value: string, field: string, row: number): Date {
  const d = new Date(`${value.trim().replace(' ', 'T')}${value.length <= 16 ? ':00' : ''}Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`row ${row}: ${field} "${value}" is not a date-time`);
  return d;
}

/** The data set's rows as order observations in purchase order; labels kept apart from the detector's input. */
export function loadFraudStream(path: string): { orders: OrderObservation[]; fraud: boolean[] } {
  const records = readCsvRecords(path, FRAUD_COLUMNS);
  const rows = records.map((r, i) => {
    const order: OrderObservation = {
      orderId: `o${r.row || i}`,
      accountId: r.user_id!,
      channel: r.source || 'unknown',
      at: gmt(r.purchase_time!, 'purchase_time', i),
      valueCents: Math.round(Number(r.purchase_value) * 100),
      accountCreatedAt: gmt(r.signup_time!, 'signup_time', i),
      keys: {
        ...(r.device_id ? { device: r.device_id } : {}),
        ...(r.ip_address ? { ip: r.ip_address } : {}),
      },
    };
    return { order, fraud: r.class === '1', index: i };
  });
  rows.sort((a, b) => a.order.at.getTime() - b.order.at.getTime() || a.index - b.index);
  return { orders: rows.map((r) => r.order), fraud: rows.map((r) => r.fraud) };
}

/**
 * Streams the orders in time order; each is scored from counters holding only earlier orders.
 * Then fits each rule's weight and the hold threshold on the tune period alone (labels of
 * later orders are never read for fitting), and reports the hold decision and the score's
 * PR-AUC on the test period, the tune period and the whole file.
 */
export function evaluateFraud(
  orders: readonly OrderObservation[],
  fraud: readonly boolean[],
  options: FraudEvalOptions = DEFAULT_FRAUD_EVAL_OPTIONS,
): FraudEvalReport {
  const counters = new InMemoryFeatureCounters();
  const rules = DEFAULT_ORDER_RULES;
  // Which rules fired, with what strength; weights are applied after tuning.
  const firings: { code: string; strength: number }[][] = orders.map((order) => {
    const features = orderRiskFeatures(order, counters.observeSync(order));
    return assessRisk(features, rules).fired.map((f) => {
      const weight = rules.find((r) => r.code === f.code)!.weight;
      return { code: f.code, strength: weight > 0 ? f.points / 100 / weight : 1 };
    });
  });

  const cut = options.tuneBefore.getTime();
  const isTune = orders.map((o) => o.at.getTime() < cut);

  const weights = fitNoisyOrWeights(
    firings.flatMap((fired, i) => (isTune[i] ? [{ fired, positive: fraud[i]! }] : [])),
    Object.fromEntries(rules.map((r) => [r.code, r.weight])),
    options.priorStrength,
  );
  const ruleFirings: Record<string, { tune: number; test: number }> = {};
  for (const rule of rules) {
    const counts = { tune: 0, test: 0 };
    firings.forEach((f, i) => {
      if (f.some((x) => x.code === rule.code)) counts[isTune[i] ? 'tune' : 'test']++;
    });
    ruleFirings[rule.code] = counts;
  }

  const scores = firings.map((f) => combineRuleWeights(f.map((x) => weights[x.code]! * x.strength)));
  const threshold = pickHoldThreshold(
    scores.filter((_, i) => isTune[i]),
    fraud.filter((_, i) => isTune[i]),
    options.targetPrecision,
  );

  const report = (keep: (i: number) => boolean): PeriodReport => {
    const s: number[] = [];
    const y: boolean[] = [];
    scores.forEach((score, i) => {
      if (keep(i)) {
        s.push(score);
        y.push(fraud[i]!);
      }
    });
    const m = classificationMetrics(s.map((v) => v >= threshold), y);
    return {
      precision: round(m.precision, 4),
      recall: round(m.recall, 4),
      f1: round(m.f1, 4),
      pr_auc: round(averagePrecision(s, y), 4),
      orders: s.length,
      fraud: m.positives,
      held: m.flagged,
    };
  };
  return {
    test: report((i) => !isTune[i]),
    all: report(() => true),
    tune: report((i) => isTune[i]!),
    hold_threshold: threshold,
    weights,
    rule_firings: ruleFirings,
  };
}

/**
 * The hold threshold: the lowest score at which the tune period's precision is still at least
 * `targetPrecision` (most recall at that precision); if no score reaches it, the F1-best one.
 */
export function pickHoldThreshold(scores: readonly number[], labels: readonly boolean[], targetPrecision: number): number {
  const positives = labels.filter(Boolean).length;
  // Sweep thresholds from the top score down; at each distinct score we know what holding at it catches.
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let tp = 0;
  let held = 0;
  let lowestAtTarget: number | null = null;
  let bestF1 = { f1: -1, threshold: 100 };
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    held++;
    if (labels[i]) tp++;
    const t = scores[i]!;
    if (t <= 0) break;
    if (k + 1 < order.length && scores[order[k + 1]!] === t) continue;
    const precision = tp / held;
    const recall = positives ? tp / positives : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (precision >= targetPrecision) lowestAtTarget = t;
    if (f1 > bestF1.f1) bestF1 = { f1, threshold: t };
  }
  return lowestAtTarget ?? bestF1.threshold;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
