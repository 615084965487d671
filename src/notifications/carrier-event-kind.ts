/** What went wrong with a parcel, as the exception workflow words it. */
export type ExceptionKind = 'address' | 'damaged' | 'returned_to_sender' | 'other';

// Carriers word these freely ("RETURN TO SENDER", "Returned to shipper", "insufficient address");
// the order of the tests matters: a return "undeliverable as addressed" is a return first.
const RETURNED = /\breturn(ed|ing)?\s+to\s+(the\s+)?(sender|shipper|origin)\b|\brts\b/i;
const DAMAGED = /\bdamage/i;
const ADDRESS = /address|unable to locate|no such (street|number)|recipient (moved|unknown|not known)|apartment|suite number|wrong zip|postcode|postal code/i;
const DELAY = /\bdelay|\blate\b|weather|reschedul|missed (its|the) connection|later than (planned|expected)|will arrive later/i;

/** The kind of a carrier exception (or return) from its status and the carrier's words. */
export function exceptionKind(status: string, detail: string): ExceptionKind {
  if (status === 'returned' || RETURNED.test(detail)) return 'returned_to_sender';
  if (DAMAGED.test(detail)) return 'damaged';
  if (ADDRESS.test(detail)) return 'address';
  return 'other';
}

/**
 * Whether a scan reports a delay (weather, a missed connection, "delayed"): the parcel is fine but
 * late, which is a delay to tell the customer about, not a problem for them to act on.
 */
export const isDelayScan = (detail: string): boolean => DELAY.test(detail) && !RETURNED.test(detail) && !DAMAGED.test(detail);
