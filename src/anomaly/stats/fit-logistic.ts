export interface LogisticFit {
  weights: number[];
  iterations: number;
}

/**
 * Fits logistic regression to all examples at once by Newton steps (iteratively reweighted least
 * squares). A small ridge penalty on every weight but the first (the intercept) keeps the steps
 * defined when a feature barely varies. Rows of `x` include the constant 1 first.
 */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly (0 | 1)[], ridge = 1e-3, maxIterations = 25): LogisticFit {
  const p = x[0]?.length ?? 0;
  const n = x.length;
  let w = new Array<number>(p).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const grad = new Array<number>(p).fill(0);
    const hess = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const row = x[i]!;
      const prob = sigmoid(dot(w, row));
      const err = prob - y[i]!;
      const s = prob * (1 - prob);
      for (let a = 0; a < p; a++) {
        grad[a]! += err * row[a]!;
        for (let b = a; b < p; b++) hess[a]![b]! += s * row[a]! * row[b]!;
      }
    }
    for (let a = 0; a < p; a++) {
      grad[a] = grad[a]! / n + (a ? ridge * w[a]! : 0);
      for (let b = a; b < p; b++) {
        hess[a]![b] = hess[a]![b]! / n + (a && a === b ? ridge : 0);
        hess[b]![a] = hess[a]![b]!;
      }
    }
    const step = solve(hess, grad);
    w = w.map((v, i) => v - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { weights: w, iterations };
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** Gaussian elimination with partial pivoting on a small dense system. */
function solve(m: number[][], v: number[]): number[] {
  const p = v.length;
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const d = a[c]![c]! || 1e-12;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / d;
      for (let k = c; k <= p; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[p]! / (row[i]! || 1e-12));
}
