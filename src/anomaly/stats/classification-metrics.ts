export interface ClassificationMetrics {
  precision: number;
  recall: number;
  f1: number;
  flagged: number;
  positives: number;
  n: number;
}

/** Precision, recall and F1 of yes/no decisions against labels. */
export function classificationMetrics(decisions: readonly boolean[], labels: readonly boolean[]): ClassificationMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < decisions.length; i++) {
    if (decisions[i] && labels[i]) tp++;
    else if (decisions[i]) fp++;
    else if (labels[i]) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, flagged: tp + fp, positives: tp + fn, n: decisions.length };
}

/**
 * Area under the precision-recall curve as average precision: the mean of the precision at each
 * positive when examples are ranked by score (ties ranked together, as a threshold would cut them).
 */
export function averagePrecision(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = labels.filter(Boolean).length;
  if (positives === 0) return 0;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    let groupTp = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!]) groupTp++;
      j++;
    }
    seen += j - i;
    tp += groupTp;
    ap += (groupTp / positives) * (tp / seen);
    i = j;
  }
  return ap;
}
