/**
 * P(X >= k) for X ~ Poisson(lambda): the chance of seeing at least `k` events in a window where
 * `lambda` are expected. A small value means the window's rate is unusual for that key.
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // Sums the upper terms directly from the mode-safe log of P(X = k); they shrink fast once i > lambda.
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let total = 0;
  for (let i = k; i < k + 1000; i++) {
    const term = Math.exp(logTerm);
    total += term;
    if (i > lambda && term < total * 1e-12) break;
    logTerm += Math.log(lambda / (i + 1));
  }
  return Math.min(1, total);
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}
