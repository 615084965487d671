import { localDateParts } from '../local-date-parts.js';

export interface PromiseInput {
  /** When the order is routed. */
  now: Date;
  /** The shipping location's local cut-off (HH:MM) and IANA time zone. */
  cutoffTime: string;
  timeZone: string;
  /** Business days the location takes to pack; the first counts from the day the order is taken in. */
  handlingDays: number;
  transitDays: number;
}

export interface PromisedDate {
  /** Local date (YYYY-MM-DD, location time zone) the parcel leaves. */
  shipsOn: string;
  /** Local date it is promised to arrive. */
  deliversOn: string;
  /** End of the delivery day in the location's time zone. */
  promisedAt: Date;
  afterCutoff: boolean;
}

/**
 * The date promised to the buyer, business days only (Saturday and Sunday skipped, no holiday
 * calendar): an order in before the cut-off on a weekday is taken in that day, otherwise on the
 * next weekday; it ships after its handling days (one handling day ships the day it is taken in)
 * and arrives after the transit days.
 */
export function promisedDeliveryDate(input: PromiseInput): PromisedDate {
  const local = localParts(input.now, input.timeZone);
  let day = Date.UTC(local.year, local.month - 1, local.day);
  const afterCutoff = local.hhmm >= input.cutoffTime;
  if (afterCutoff || isWeekend(day)) day = nextBusinessDay(day);
  for (let i = 1; i < Math.max(1, input.handlingDays); i++) day = nextBusinessDay(day);
  const shipsOn = day;
  for (let i = 0; i < input.transitDays; i++) day = nextBusinessDay(day);
  return {
    shipsOn: isoDate(shipsOn),
    deliversOn: isoDate(day),
    promisedAt: zonedEndOfDay(day, input.timeZone),
    afterCutoff,
  };
}

const DAY_MS = 86_400_000;
const isWeekend = (utcMidnight: number) => [0, 6].includes(new Date(utcMidnight).getUTCDay());
const isoDate = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

function nextBusinessDay(utcMidnight: number): number {
  let d = utcMidnight + DAY_MS;
  while (isWeekend(d)) d += DAY_MS;
  return d;
}

function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; hhmm: string } {
  const p = localDateParts(at, timeZone);
  return { year: p.year, month: p.month, day: p.day, hhmm: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

/** 23:59:59 local on the given date, as an instant. */
function zonedEndOfDay(utcMidnight: number, timeZone: string): Date {
  const guess = utcMidnight + DAY_MS - 1000;
  const local = localParts(new Date(guess), timeZone);
  const shownAsUtc = Date.UTC(local.year, local.month - 1, local.day, Number(local.hhmm.slice(0, 2)), Number(local.hhmm.slice(3)));
  const offset = shownAsUtc - Math.floor(guess / 60_000) * 60_000;
  return new Date(guess - offset);
}
