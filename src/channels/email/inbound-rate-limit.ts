import type { EmailThreadStore } from './email-thread-store.js';

export interface InboundRateLimitSettings {
  EMAIL_REPLIES_PER_HOUR: number;
  EMAIL_GLOBAL_TURNS_PER_MINUTE: number;
  EMAIL_GLOBAL_TURNS_PER_HOUR: number;
}

/** Whether a mail may be handled automatically; when not, which limit it ran into. */
export type InboundAdmission = { allowed: true } | { allowed: false; detail: string };

/**
 * Lets a claimed inbound mail through to an agent turn or an automatic reply, or not. Every mail
 * let through counts, whatever came of it (answer, approval, hand-off, error), against the limit
 * for its sender (EMAIL_REPLIES_PER_HOUR) and the limits for all senders together
 * (EMAIL_GLOBAL_TURNS_PER_MINUTE and _PER_HOUR). Counted from the stored mail, so the limits hold
 * across restarts and processes.
 */
export async function admitInboundEmail(
  store: EmailThreadStore,
  mail: { messageId: string; from: { address: string } },
  settings: InboundRateLimitSettings,
  now: Date = new Date(),
): Promise<InboundAdmission> {
  const { admitted, counts } = await store.admitInbound({
    messageId: mail.messageId,
    counterpart: mail.from.address,
    now,
    limits: {
      senderPerHour: settings.EMAIL_REPLIES_PER_HOUR,
      globalPerMinute: settings.EMAIL_GLOBAL_TURNS_PER_MINUTE,
      globalPerHour: settings.EMAIL_GLOBAL_TURNS_PER_HOUR,
    },
  });
  if (admitted) return { allowed: true };
  if (counts.sender >= settings.EMAIL_REPLIES_PER_HOUR) {
    return { allowed: false, detail: `${counts.sender} mails from ${mail.from.address} handled in the last hour (EMAIL_REPLIES_PER_HOUR=${settings.EMAIL_REPLIES_PER_HOUR})` };
  }
  if (counts.globalMinute >= settings.EMAIL_GLOBAL_TURNS_PER_MINUTE) {
    return { allowed: false, detail: `${counts.globalMinute} mails handled in the last minute (EMAIL_GLOBAL_TURNS_PER_MINUTE=${settings.EMAIL_GLOBAL_TURNS_PER_MINUTE})` };
  }
  return { allowed: false, detail: `${counts.globalHour} mails handled in the last hour (EMAIL_GLOBAL_TURNS_PER_HOUR=${settings.EMAIL_GLOBAL_TURNS_PER_HOUR})` };
}
