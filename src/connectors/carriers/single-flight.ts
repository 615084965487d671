/** Runs one call per key at a time: a second caller with the same key while the first runs gets the first's result. */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const inflight = this.running.get(key);
    if (inflight) return inflight;
    const p = work().finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }
}
