import type { EmailThreadStore } from './email-thread-store.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Whether one more automatic reply may go to `counterpart`: at most `perHour` in any rolling
 * hour. Counted from the sent messages themselves, so it holds across restarts and processes.
 */
export async function checkReplyRateLimit(
  store: EmailThreadStore,
  counterpart: string,
  perHour: number,
  now: Date = new Date(),
): Promise<{ allowed: boolean; sentInLastHour: number }> {
  const sentInLastHour = await store.countRepliesSince(counterpart, new Date(now.getTime() - HOUR_MS));
  return { allowed: sentInLastHour < perHour, sentInLastHour };
}
