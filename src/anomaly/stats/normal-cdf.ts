/**
 * P(Z <= z) for a standard normal Z (Abramowitz and Stegun 26.2.17, absolute error below 7.5e-8).
 */
export function normalCdf(z: number): number {
  if (z < -8) return 0;
  if (z > 8) return 1;
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp(-0.5 * z * z) * 0.3989422804014327 * poly;
  return z >= 0 ? 1 - tail : tail;
}
