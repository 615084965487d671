/** One order line as the allocator sees it. */
export interface AllocationLine {
  /** The caller's handle for the line (its index in the request). */
  key: string;
  variantId: string;
  sku: string;
  quantity: number;
}

/** Stock one location can still promise for one variant. */
export interface AvailableStock {
  variantId: string;
  locationId: string;
  locationRegion: string;
  available: number;
}

export interface AllocationInput {
  lines: AllocationLine[];
  /** The shipping address's region, or null when no location is local to it. */
  region: string | null;
  /** Available units at every active location that stocks one of the variants. */
  stock: AvailableStock[];
}

/** Part (or all) of one line promised from one location. */
export interface Allocation {
  lineKey: string;
  locationId: string;
  quantity: number;
}

export type AllocationResult =
  | { ok: true; allocations: Allocation[] }
  | { ok: false; sku: string; wanted: number; available: number };

/**
 * Decides which locations fill an order. Called by createOrder inside the transaction that
 * holds the level locks, so the stock it sees cannot change before the reservations are written.
 * It is pure: it returns allocations that cover every unit of every line, or the first SKU it
 * cannot cover, and never touches the database.
 */
export interface AllocationStrategy {
  readonly code: string;
  allocate(input: AllocationInput): AllocationResult;
}
