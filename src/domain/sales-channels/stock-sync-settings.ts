/** How stock pushes to the sales channels behave; STOCK_SYNC_MISMATCH_MINUTES sets the first. */
export interface StockSyncSettings {
  /** Minutes a mismatch or a run of failed pushes may last before it is reported as a problem. */
  mismatchMinutes: number;
  /** Seconds a push job holds the rows it pushes; a crashed job's rows are free again after this. */
  claimSeconds: number;
  /** Variants per pushStock call. */
  batchSize: number;
}

export const DEFAULT_STOCK_SYNC_SETTINGS: StockSyncSettings = { mismatchMinutes: 15, claimSeconds: 60, batchSize: 50 };
