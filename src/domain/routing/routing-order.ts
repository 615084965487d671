import type { ServiceLevel } from '../shipping/carrier.js';

/** One order line as routing sees it. */
export interface RoutingLine {
  /** The caller's handle for the line (its index, or the order line id). */
  key: string;
  variantId: string;
  sku: string;
  quantity: number;
  priceCents: number;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  hazmat: boolean;
  tags: string[];
  /** 'allow': a shortfall is accepted as backordered instead of refusing the order. */
  backorderPolicy: 'deny' | 'allow';
}

/** What rules and strategies look at: where the order goes, how fast, from whom, and what is in it. */
export interface RoutingOrder {
  destination: { country: string; state: string; zip: string };
  serviceLevel: ServiceLevel;
  channel: string;
  customerTags: string[];
  lines: RoutingLine[];
}

export const orderValueCents = (order: RoutingOrder): number => order.lines.reduce((s, l) => s + l.priceCents * l.quantity, 0);

/** The parcel some lines make together: summed weight and height, the largest footprint. */
export function parcelOf(lines: { line: RoutingLine; quantity: number }[]): {
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
} {
  return {
    weightGrams: lines.reduce((s, x) => s + x.line.weightGrams * x.quantity, 0),
    lengthMm: Math.max(0, ...lines.map((x) => x.line.lengthMm)),
    widthMm: Math.max(0, ...lines.map((x) => x.line.widthMm)),
    heightMm: lines.reduce((s, x) => s + x.line.heightMm * x.quantity, 0),
  };
}
