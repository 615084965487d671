/**
 * A date a carrier sent, or null when it is missing or not a date: one malformed value must not
 * fail a whole tracking update (the carrier would resend it, and be refused, forever).
 */
export function carrierDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isFinite(date.getTime()) ? date : null;
}
