import { createOutboxSmsSender } from '../notifications/outbox-sms-sender.js';
import type { SmsSender } from '../notifications/sms-sender.js';
import type { Config } from './config.js';

/** Twilio when TWILIO_* is set (config checks all three are), otherwise SMS files under DATA_DIR. */
export function openSmsSender(config: Config): SmsSender {
  // The Twilio adapter is wired here once it exists (src/connectors/sms/twilio/).
  return createOutboxSmsSender(config.DATA_DIR);
}
