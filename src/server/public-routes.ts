/**
 * The only routes that answer without an API token, as `METHOD /registered/pattern`. Each one
 * authenticates its caller itself or shows nothing private. Every other route, including any added
 * later, needs a token: the guard (route-auth.ts) checks the route the router matched against this
 * list, never the URL as written.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  // Liveness for load balancers and orchestrators: the database kind and an order count.
  'GET /healthz',
  'HEAD /healthz',
  // Slack's request URLs (src/channels/slack/receivers/fastify-slack-receiver.ts): every request
  // carries Slack's v0 signature over the raw body, checked before anything runs.
  'POST /slack/events',
  'POST /slack/interactivity',
  'POST /slack/commands',
  // The inbound-email provider's webhook (src/channels/email/inbound-webhook-route.ts): it needs
  // EMAIL_INBOUND_SECRET, and is off without it.
  'POST /webhooks/email/inbound',
  // Carriers' tracking webhooks (src/server/routes/carrier-webhook-routes.ts): each is verified by
  // its carrier's signature over the raw body (EasyPost's X-Hmac-Signature, Shippo's URL token or
  // HMAC header, the sandbox's timestamped HMAC) before anything runs, and refuses all without a secret.
  'POST /webhooks/carriers/easypost',
  'POST /webhooks/carriers/shippo',
  'POST /webhooks/carriers/sandbox',
  // Shopify's webhooks (src/connectors/storefronts/shopify/shopify-webhook-routes.ts): each carries
  // X-Shopify-Hmac-Sha256 over the raw body, checked before anything is read or stored; without
  // SHOPIFY_WEBHOOK_SECRET every delivery is refused.
  'POST /webhooks/shopify',
  // WooCommerce's webhooks (src/connectors/storefronts/woocommerce/woocommerce-webhook-routes.ts):
  // X-WC-Webhook-Signature over the raw body is checked before anything is read or stored; the
  // unsigned ping sent when a webhook is saved is answered and ignored. Refuses all without a secret.
  'POST /webhooks/woocommerce',
  // Twilio's delivery reports and incoming texts (src/server/routes/twilio-webhook-routes.ts):
  // X-Twilio-Signature over PUBLIC_URL, the path and the form parameters is checked before anything
  // is read or stored; without TWILIO_AUTH_TOKEN every request is refused.
  'POST /webhooks/twilio/status',
  'POST /webhooks/twilio/inbound',
  // The customer pages behind signed message links (src/server/routes/public-page-routes.ts): the
  // token's HMAC is checked before the database is read, a forged one gets the not-found page, and
  // a page shows one order's parcels (no address, email, phone or price) or one unsubscribe choice.
  'GET /track/*',
  'HEAD /track/*',
  'GET /unsubscribe/*',
  'HEAD /unsubscribe/*',
  'POST /unsubscribe/*',
  // Signing in (src/server/routes/session-routes.ts): it checks the password itself, answers every
  // failure alike, and counts failures per email and per address (429 past the limit).
  'POST /login',
  // Single sign-on (src/server/routes/oidc-routes.ts): the start only redirects to the issuer; the
  // callback signs in only with a code that the issuer redeems and an ID token whose signature,
  // issuer, audience and nonce check out, in the browser that started it. /auth/methods says
  // whether single sign-on is on and nothing else.
  'GET /auth/methods',
  'GET /auth/oidc/start',
  'GET /auth/oidc/callback',
  // The operator console's shell and built assets (src/console/console-asset-routes.ts): static
  // files with no data in them; every data call they make goes to /api with the session cookie.
  'GET /console',
  'HEAD /console',
  'GET /console/*',
  'HEAD /console/*',
];

const publicSet = new Set(PUBLIC_ROUTES);

/** True when the route registered as `pattern` for `method` may be called without a token. */
export function isPublicRoute(method: string, pattern: string): boolean {
  return publicSet.has(`${method.toUpperCase()} ${pattern}`);
}
