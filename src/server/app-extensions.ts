import { anomalyExtension } from '../anomaly/anomaly-extension.js';
import { emailExtension } from '../channels/email/email-extension.js';
import { slackExtension } from '../channels/slack/slack-extension.js';
import { carrierWebhookExtension } from './carrier-webhook-extension.js';
import type { AppExtension } from './start-app.js';

/**
 * The parts `npm start` and `orderops serve` run beside the core API. Add a part by appending
 * its extension here (it registers its routes and job handlers; see AppExtension).
 */
export const APP_EXTENSIONS: AppExtension[] = [
  slackExtension,
  emailExtension,
  anomalyExtension,
  // Tracking updates are handed to the shipment service once it is wired in (onUpdates).
  carrierWebhookExtension({}),
];
