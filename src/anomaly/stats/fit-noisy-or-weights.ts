/** One labelled example: the strength (0..1) of each rule that fired on it. */
export interface NoisyOrExample {
  fired: readonly { code: string; strength: number }[];
  positive: boolean;
}

/**
 * Maximum a-posteriori rule weights for a noisy-OR score, P(positive) = 1 − (1 − leak)·Π(1 − w·s),
 * by projected gradient ascent. Unlike "precision of each rule on its own", a rule that only
 * fires together with a stronger one gets the weight of what it adds, not of what the other
 * already explains. `prior` pulls each weight towards its configured default with `priorStrength`
 * pseudo-examples, so a rule that rarely fired keeps roughly its default.
 */
export function fitNoisyOrWeights(
  examples: readonly NoisyOrExample[],
  prior: Readonly<Record<string, number>>,
  priorStrength = 5,
  iterations = 300,
): Record<string, number> {
  const codes = Object.keys(prior);
  const index = new Map(codes.map((c, i) => [c, i]));
  const w = codes.map((c) => clamp(prior[c]!));
  const positives = examples.filter((e) => e.positive).length;
  let leak = clamp(examples.length ? (positives / examples.length) * 0.5 : 0.01);
  const rows = examples.map((e) => ({
    idx: e.fired.map((f) => index.get(f.code)).filter((i): i is number => i !== undefined),
    s: e.fired.filter((f) => index.has(f.code)).map((f) => f.strength),
    y: e.positive,
  }));
  const fired = new Array<number>(codes.length).fill(0);
  for (const r of rows) for (const i of r.idx) fired[i]!++;

  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(codes.length).fill(0);
    let leakGrad = 0;
    for (const r of rows) {
      let clear = 1 - leak;
      for (let k = 0; k < r.idx.length; k++) clear *= 1 - w[r.idx[k]!]! * r.s[k]!;
      clear = Math.min(clear, 1 - 1e-9);
      // d log-likelihood / d log(clear): positive examples want clear small, negatives want it large.
      const dLogClear = r.y ? -clear / (1 - clear) : 1;
      for (let k = 0; k < r.idx.length; k++) {
        const i = r.idx[k]!;
        const s = r.s[k]!;
        grad[i]! += dLogClear * (-s / Math.max(1e-9, 1 - w[i]! * s));
      }
      leakGrad += dLogClear * (-1 / (1 - leak));
    }
    for (let i = 0; i < codes.length; i++) {
      const p0 = clamp(prior[codes[i]!]!);
      grad[i]! += priorStrength * (p0 / w[i]! - (1 - p0) / (1 - w[i]!));
      // Step scaled by how often the rule fires, so rare and common rules move at similar speed.
      const step = 0.5 / (fired[i]! + priorStrength);
      w[i] = clamp(w[i]! + step * grad[i]! * w[i]! * (1 - w[i]!));
    }
    leak = clamp(leak + (0.5 / Math.max(1, rows.length)) * leakGrad * leak * (1 - leak));
  }
  return Object.fromEntries(codes.map((c, i) => [c, Math.round(w[i]! * 10_000) / 10_000]));
}

const clamp = (v: number) => Math.min(0.9999, Math.max(0.0001, v));
