/** Public tracking pages of the common carriers; `{tracking}` is the tracking number. */
const CARRIER_TRACKING_URLS: Record<string, string> = {
  ups: 'https://www.ups.com/track?tracknum={tracking}',
  usps: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking}',
  fedex: 'https://www.fedex.com/fedextrack/?trknbr={tracking}',
  dhl: 'https://www.dhl.com/global-en/home/tracking.html?tracking-id={tracking}',
  'royal mail': 'https://www.royalmail.com/track-your-item#/tracking-results/{tracking}',
  'canada post': 'https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={tracking}',
};

/**
 * The link a storefront shows for one parcel: the carrier's own tracking page for a carrier we
 * know, otherwise (the sandbox carrier, any other, or none) `ownPage`, the order's signed
 * tracking page on this server.
 */
export function trackingLink(carrier: string | null, trackingNumber: string, ownPage: string): string {
  const key = (carrier ?? '').trim().toLowerCase();
  const pattern = CARRIER_TRACKING_URLS[key];
  return pattern ? pattern.replaceAll('{tracking}', encodeURIComponent(trackingNumber)) : ownPage;
}
