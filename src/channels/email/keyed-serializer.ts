/**
 * Runs tasks one at a time per key (and concurrently across keys). The email handler keys by
 * sender, so two mails from one address never race each other for the thread or the rate limit.
 */
export function createKeyedSerializer() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}
