import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ServiceLevel, ShippingAddress } from '../../domain/shipping/carrier.js';

/** One label the sandbox carrier sold: everything its tracking timeline is computed from. */
export interface SandboxPurchase {
  idempotencyKey: string;
  trackingNumber: string;
  labelId: string;
  service: string;
  serviceLevel: ServiceLevel;
  transitDays: number;
  amountCents: number;
  currency: string;
  /** ISO time of the purchase; the timeline starts here. */
  purchasedAt: string;
  voidedAt: string | null;
  from: ShippingAddress;
  to: ShippingAddress;
  delayHours: number;
  /** Detail of the exception the parcel will hit in transit, or null. */
  exception: string | null;
  /** True when the parcel goes back to the sender instead of being delivered. */
  returnToSender: boolean;
}

/**
 * Where the sandbox keeps what it sold. `put` is called once per purchase (and again to record a
 * void); `all` lets tests count purchases the way a real carrier's dashboard would.
 */
export interface SandboxLabelStore {
  byKey(idempotencyKey: string): Promise<SandboxPurchase | undefined>;
  byTrackingNumber(trackingNumber: string): Promise<SandboxPurchase | undefined>;
  put(purchase: SandboxPurchase): Promise<void>;
  all(): Promise<SandboxPurchase[]>;
}

/** The store for tests and short-lived processes. */
export class MemorySandboxLabelStore implements SandboxLabelStore {
  protected readonly purchases = new Map<string, SandboxPurchase>();

  async byKey(idempotencyKey: string): Promise<SandboxPurchase | undefined> {
    return this.purchases.get(idempotencyKey);
  }

  async byTrackingNumber(trackingNumber: string): Promise<SandboxPurchase | undefined> {
    for (const p of this.purchases.values()) if (p.trackingNumber === trackingNumber) return p;
    return undefined;
  }

  async put(purchase: SandboxPurchase): Promise<void> {
    this.purchases.set(purchase.idempotencyKey, purchase);
  }

  async all(): Promise<SandboxPurchase[]> {
    return [...this.purchases.values()];
  }
}

/**
 * The embedded default's store: an append-only JSON-lines file under DATA_DIR, so a label bought
 * before a restart keeps its timeline (and its purchase time) after it. The last line for a key
 * wins. A key or tracking number not found in memory is looked up in the file again, so another
 * process (an `orderops` command beside the server) or another instance sees what this one wrote.
 */
export class FileSandboxLabelStore extends MemorySandboxLabelStore {
  private loaded: Promise<void> | undefined;

  constructor(private readonly path: string) {
    super();
  }

  private load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async reloaded<T>(find: () => Promise<T | undefined>): Promise<T | undefined> {
    await this.load();
    const found = await find();
    if (found) return found;
    this.loaded = this.read();
    await this.loaded;
    return find();
  }

  private read(): Promise<void> {
    return (async () => {
      const text = await readFile(this.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '';
        throw err;
      });
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        // A line cut short by a crash mid-append is the only kind that fails to parse; skip it.
        try {
          const p = JSON.parse(line) as SandboxPurchase;
          this.purchases.set(p.idempotencyKey, p);
        } catch {
          continue;
        }
      }
    })();
  }

  override byKey(idempotencyKey: string): Promise<SandboxPurchase | undefined> {
    return this.reloaded(() => super.byKey(idempotencyKey));
  }

  override byTrackingNumber(trackingNumber: string): Promise<SandboxPurchase | undefined> {
    return this.reloaded(() => super.byTrackingNumber(trackingNumber));
  }

  override async put(purchase: SandboxPurchase): Promise<void> {
    await this.load();
    await mkdir(dirname(this.path), { recursive: true });
    // Leading newline: a line left unfinished by a crash must not swallow this one.
    await appendFile(this.path, `\n${JSON.stringify(purchase)}\n`, { mode: 0o600 });
    await super.put(purchase);
  }

  override async all(): Promise<SandboxPurchase[]> {
    await this.load();
    return super.all();
  }
}
