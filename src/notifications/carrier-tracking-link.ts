/**
 * Public tracking pages of carriers customers know; `{tracking}` is the tracking number. Keys are
 * the carrier's name lower-cased with everything but letters and digits removed, since adapters
 * spell them differently (USPS, usps; DHLExpress, dhl_express).
 */
const CARRIER_TRACKING_URLS: Record<string, string> = {
  usps: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking}',
  ups: 'https://www.ups.com/track?tracknum={tracking}',
  fedex: 'https://www.fedex.com/fedextrack/?trknbr={tracking}',
  dhl: 'https://www.dhl.com/global-en/home/tracking.html?tracking-id={tracking}',
  dhlexpress: 'https://www.dhl.com/global-en/home/tracking.html?tracking-id={tracking}',
  canadapost: 'https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={tracking}',
  royalmail: 'https://www.royalmail.com/track-your-item#/tracking-results/{tracking}',
  ontrac: 'https://www.ontrac.com/tracking/?number={tracking}',
};

const keyOf = (carrier: string) => carrier.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Where a customer follows one parcel: the carrier's own page for a carrier we know, otherwise
 * (the sandbox, an unknown carrier, no tracking number yet) our tracking page of the order.
 */
export function carrierTrackingUrl(carrier: string | null, trackingNumber: string | null, ourTrackingPage: string): string {
  const pattern = carrier && trackingNumber ? CARRIER_TRACKING_URLS[keyOf(carrier)] : undefined;
  return pattern ? pattern.replaceAll('{tracking}', encodeURIComponent(trackingNumber!)) : ourTrackingPage;
}
