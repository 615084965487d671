/** What a repair does for one finding; each is re-checked against the data when it is applied. */
export type InventoryFix =
  /** The level is right and the ledger lacks a movement: append one of `quantity` that leaves on_hand as it is. */
  | { action: 'record_missing_movement'; variant_id: string; location_id: string; quantity: number; on_hand: number }
  /** On-hand is below zero: a `count` movement of `quantity` brings it to 0 until someone counts the shelf. */
  | { action: 'count_to_zero'; variant_id: string; location_id: string; quantity: number }
  /** Give the held units back. */
  | { action: 'release_reservation'; reservation_id: number; order_id: string }
  /** The units left with the order and no sale was booked: close the reservation and book the sale. */
  | { action: 'fulfil_reservation'; reservation_id: number; order_id: string };

export type InventoryFindingKind =
  | 'negative_on_hand'
  | 'level_drift'
  | 'orphaned_reservation'
  | 'reservation_on_closed_order'
  | 'over_reserved'
  | 'transfer_stuck';

/** One disagreement between levels, movements, reservations, orders and transfers. */
export interface InventoryFinding {
  kind: InventoryFindingKind;
  sku: string;
  variant_id: string;
  location_id: string;
  /** What is wrong, in one sentence naming the records. */
  problem: string;
  /** By how much, in units (always positive). */
  units: number;
  /** What should be done about it, in one sentence. */
  proposed_fix: string;
  /** The change `--repair` makes; null when a person must look (count the shelf, reroute orders). */
  fix: InventoryFix | null;
  reservation_id?: number;
  order_id?: string;
  transfer_id?: number;
}
