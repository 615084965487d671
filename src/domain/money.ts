/**
 * Money travels as numbers of currency units in JSON (206.6) and as NUMERIC strings from the
 * database ('206.60'); arithmetic happens in integer cents so sums are exact.
 */
export type Cents = number;

/** Integer cents from a NUMERIC string or a decimal number; rounds half away from zero. */
export function toCents(value: string | number): Cents {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite amount: ${value}`);
    // toFixed rounds the exact binary value, so 71.96000000000001 gives 7196 and 0.1+0.2 gives 30.
    return Math.round(Number((value * 100).toFixed(6)));
  }
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) throw new Error(`not an amount: ${value}`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = Number(m[2]) * 100 + Number(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1;
  return m[1] ? -cents : cents;
}

/** Currency units as a number for JSON (1999 → 19.99). */
export function fromCents(cents: Cents): number {
  return cents / 100;
}

/** A NUMERIC literal for the database (1999 → '19.99'). */
export function centsToNumeric(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Normalises any amount to two-decimal currency units. */
export function roundMoney(value: string | number): number {
  return fromCents(toCents(value));
}
