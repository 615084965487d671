import { createTwilioSmsSender } from '../connectors/sms/twilio/twilio-sms-sender.js';
import { createOutboxSmsSender } from '../notifications/outbox-sms-sender.js';
import type { SmsSender } from '../notifications/sms-sender.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import { guardSmsSender } from '../connectors/sms/guard-sms-sender.js';
import type { Config } from './config.js';

/** Twilio when TWILIO_* is set (config checks all three are), otherwise SMS files under DATA_DIR. */
export function openSmsSender(config: Config, breakers?: CircuitBreakers): SmsSender {
  if (config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM) {
    const twilio = createTwilioSmsSender({
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      from: config.TWILIO_FROM,
      apiUrl: config.TWILIO_API_URL,
    });
    return breakers ? guardSmsSender(twilio, breakers.for('twilio')) : twilio;
  }
  return createOutboxSmsSender(config.DATA_DIR);
}
