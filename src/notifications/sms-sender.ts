/** One text message to send. */
export interface OutgoingSms {
  /** E.164, e.g. +15551234567. */
  to: string;
  body: string;
  /**
   * Fixed before the first try: a retry with the same key must not send a second message (the
   * Twilio adapter sends it as I-Twilio-Idempotency-Token and remembers the SID it got).
   */
  idempotencyKey: string;
  /** Where the provider reports delivery (POST /webhooks/twilio/status), when it reports at all. */
  statusCallbackUrl?: string;
}

export interface SmsSendResult {
  /** The provider's id for the message (Twilio's Message SID, SM...). */
  providerId: string;
  /** The provider's first status (queued, accepted, sent...). */
  status: string;
}

/**
 * Sends text messages: through Twilio when TWILIO_* is set, otherwise as files under
 * DATA_DIR/sms-outbox/ that a person (or a test) can read. Both pass test/notifications/sms-sender.contract.test.ts.
 */
export interface SmsSender {
  readonly kind: 'twilio' | 'outbox';
  send(sms: OutgoingSms): Promise<SmsSendResult>;
}

/** Raised by a sender; `retryable` says whether trying again later may succeed (timeout, 5xx, 429). */
export class SmsSendError extends Error {
  constructor(message: string, readonly retryable: boolean, readonly code?: string) {
    super(message);
    this.name = 'SmsSendError';
  }
}
