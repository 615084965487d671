import { renderPrompt } from '../../../agent/prompt-library.js';
import { registerRoutes } from '../../../server/route-plugin.js';
import { TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH, twilioWebhookRoutes } from '../../../server/routes/twilio-webhook-routes.js';
import type { AppExtension } from '../../../server/start-app.js';
import { verifyTwilioSignature } from './twilio-signature.js';

/**
 * Twilio's webhooks as a part of `npm start`: delivery reports at POST /webhooks/twilio/status and
 * incoming texts (STOP, START, HELP, questions) at POST /webhooks/twilio/inbound. Always
 * registered; without TWILIO_AUTH_TOKEN they refuse everything.
 */
export const twilioExtension: AppExtension = async (ctx) => {
  const token = ctx.config.TWILIO_AUTH_TOKEN;
  registerRoutes(
    ctx.app,
    twilioWebhookRoutes({
      db: ctx.db,
      verify: token ? (url, params, signature) => verifyTwilioSignature(token, signature, url, params) : null,
      publicUrl: ctx.publicUrl,
      helpText: renderPrompt('sms-help', { store_name: ctx.config.STORE_NAME, support_email: ctx.config.SUPPORT_EMAIL }),
      actor: { kind: 'webhook', id: 'twilio' },
      log: ctx.log,
    }),
  );
  ctx.log(
    `Twilio webhooks: POST ${TWILIO_STATUS_PATH} and POST ${TWILIO_INBOUND_PATH} ` +
      (token ? `on, signed over ${ctx.config.PUBLIC_URL ? 'PUBLIC_URL' : "the server's own address (set PUBLIC_URL to the address Twilio calls)"}` : 'refusing all (no TWILIO_AUTH_TOKEN)'),
  );
};
