/** Middle value of `values` (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const a = Float64Array.from(values);
  const mid = a.length >> 1;
  const upper = select(a, mid);
  if (a.length % 2) return upper;
  // After selecting `mid`, everything left of it is smaller or equal: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** The k-th smallest value (quickselect, linear on average); reorders `a`. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** Scales a MAD to the standard deviation of a normal distribution. */
const MAD_TO_SIGMA = 1.4826;

export interface RobustBaseline {
  median: number;
  mad: number;
  n: number;
}

/** Median and MAD of `values`; all zero for no values (n = 0 tells the caller there is no baseline). */
export function robustBaseline(values: readonly number[]): RobustBaseline {
  if (values.length === 0) return { median: 0, mad: 0, n: 0 };
  const m = median(values);
  return { median: m, mad: medianAbsoluteDeviation(values, m), n: values.length };
}

/**
 * How many robust standard deviations `value` lies from the baseline's median. A zero MAD (half
 * the history identical) would make every other value infinitely far, so the spread falls back
 * to a small share of the median.
 */
export function robustZ(value: number, baseline: RobustBaseline): number {
  if (baseline.n === 0 || !Number.isFinite(baseline.median)) return 0;
  const spread = Math.max(baseline.mad * MAD_TO_SIGMA, Math.abs(baseline.median) * 0.05, 1e-9);
  return (value - baseline.median) / spread;
}
