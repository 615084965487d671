import { z } from 'zod';
import { canonicalOrderSchema } from '../domain/orders/canonical-order.js';
import { ROLES } from '../security/role-policy.js';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = (protocols: string[]) =>
  optionalString.refine(
    (v) => v === undefined || protocols.some((p) => v.startsWith(`${p}:`)),
    { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
  );

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const commaList = optionalString.transform((v) =>
  v === undefined ? [] : v.split(',').map((s) => s.trim()).filter(Boolean),
);

const MIN_TOKEN_LENGTH = 16;

/** The carrier adapters CARRIERS may name. */
export const CARRIER_ACCOUNTS = ['sandbox', 'easypost', 'shippo'] as const;
export type CarrierAccount = (typeof CARRIER_ACCOUNTS)[number];

/** One entry of API_TOKENS: a token that may only create orders of its own sales channel. */
export interface ChannelToken {
  channel: string;
  token: string;
}

// Messages name the channel or the entry's position, never the token: config errors end up in logs.
const channelTokens = optionalString.transform((v, ctx): ChannelToken[] => {
  if (v === undefined) return [];
  const out: ChannelToken[] = [];
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const channel = colon < 0 ? '' : entry.slice(0, colon).trim();
    const token = colon < 0 ? '' : entry.slice(colon + 1).trim();
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message: `entry ${i + 1}${channel ? ` (${channel})` : ''}: ${message}` });
    if (colon < 0) return fail('must be channel:token, e.g. shopify:<token>,pos:<token>');
    const name = canonicalOrderSchema.shape.channel.safeParse(channel);
    if (!name.success || name.data !== channel) return fail(`channel ${name.error?.issues[0]?.message ?? 'must not have spaces around it'}`);
    if (token.length < MIN_TOKEN_LENGTH) return fail(`token must be at least ${MIN_TOKEN_LENGTH} characters`);
    if (out.some((t) => t.channel === channel)) return fail('channel is listed twice');
    if (out.some((t) => t.token === token)) return fail('token is already used by another channel');
    out.push({ channel, token });
  });
  return out;
});

// Slack ids as Slack prints them; a name such as @alice or #ops would silently match nobody.
const slackIdList = (what: string, pattern: RegExp) =>
  commaList.refine((ids) => ids.every((id) => pattern.test(id)), {
    message: `must be comma-separated ${what}`,
  });

const boolFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => (v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

// Tokens and ID tokens travel over this connection, so plain http is only for an issuer on this machine.
function isIssuerUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Every setting orderops reads from the environment, with its default. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Bearer token with full access to every route not on the public list (src/server/public-routes.ts);
   * needed whenever HOST is not a loopback address.
   */
  API_TOKEN: optionalString.refine((v) => v === undefined || v.length >= MIN_TOKEN_LENGTH, {
    message: `must be at least ${MIN_TOKEN_LENGTH} characters`,
  }),
  /**
   * `shopify:<token>,pos:<token>`: tokens that may only create orders of their own channel
   * (POST /api/orders) and read nothing. Once set, every non-public route needs a token.
   */
  API_TOKENS: channelTokens,
  /** Bearer token that may read GET /metrics and nothing else, for a Prometheus scraper. */
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= MIN_TOKEN_LENGTH, {
    message: `must be at least ${MIN_TOKEN_LENGTH} characters`,
  }),
  /** Hours a console sign-in lasts before the person signs in again (`orderops users` makes accounts). */
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** bcrypt work factor (log2) for new password hashes; each step doubles the time a guess costs. */
  PASSWORD_HASH_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
  // Single sign-on through an OpenID Connect issuer (src/server/routes/oidc-routes.ts): all three
  // of issuer, client id and secret, or none. The issuer's redirect URI is PUBLIC_URL/auth/oidc/callback.
  /** The issuer's URL (its discovery document is ISSUER/.well-known/openid-configuration). */
  OIDC_ISSUER: optionalString.refine((v) => v === undefined || isIssuerUrl(v), {
    message: 'must be an https:// URL (http:// only for 127.0.0.1 or localhost)',
  }),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  /** The role of an account made at someone's first single sign-on. */
  OIDC_DEFAULT_ROLE: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).default('viewer'),
  /**
   * Email domains whose people get an account at their first single sign-on. Empty: only people
   * who already have an account (made with `orderops users`) may sign in through the issuer.
   */
  OIDC_ALLOWED_DOMAINS: commaList
    .transform((domains) => domains.map((d) => d.toLowerCase().replace(/^@/, '')))
    .refine((domains) => domains.every((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)), {
      message: 'must be comma-separated email domains such as example.com',
    }),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  /**
   * Hot statements run as named prepared statements, planned once per connection. `false` behind
   * a pooler in transaction mode that does not track them (PgBouncer before 1.21).
   */
  DATABASE_PREPARED_STATEMENTS: boolFlag(true),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  /** Prefix of every BullMQ key, so two installs (or a staging copy) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, dot, dash or underscore').default('orderops'),
  /**
   * Whether `orderops serve` also runs the job handlers, outbox dispatch and schedules (default).
   * `false` leaves them to `orderops worker` processes, which needs REDIS_URL and DATABASE_URL.
   */
  RUN_WORKERS: boolFlag(true),
  /**
   * Milliseconds a worker holds a job or outbox event without renewing: a worker killed mid-job
   * blocks it this long before another takes it over.
   */
  JOB_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
  /**
   * Circuit breakers, one per outside service (carriers, Twilio, SMTP, each storefront): this many
   * consecutive outages open it; calls then fail fast (the job retries later) for CIRCUIT_OPEN_MS,
   * doubling per failed trial call up to CIRCUIT_MAX_OPEN_MS.
   */
  CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  CIRCUIT_OPEN_MS: z.coerce.number().int().min(10).default(10_000),
  CIRCUIT_MAX_OPEN_MS: z.coerce.number().int().min(10).default(5 * 60_000),
  SEED_DEMO: boolFlag(true),

  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl(['http', 'https']),
  ANTHROPIC_MODEL: z.string().default('claude-sonnet-5-5'),
  AGENT_MAX_ITERATIONS: z.coerce.number().int().min(1).max(50).default(10),
  /**
   * Most tokens (estimated) of conversation replayed to the model per call, every channel: past
   * it the oldest turns are left out and the model is told so. The system prompt and the tool
   * list are not counted; the turn in progress is always sent whole.
   */
  AGENT_HISTORY_TOKENS: z.coerce.number().int().min(1000).default(32_000),
  EMBEDDINGS_API_URL: optionalUrl(['http', 'https']),
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_MODEL: z.string().default('voyage-3-lite'),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(8).max(4096).default(512),

  APPROVAL_TTL_MINUTES: z.coerce.number().int().min(1).default(24 * 60),
  // A change asked for by an unverified requester waits this long for the one-time code mailed to
  // them, and is refused after this many wrong codes.
  APPROVAL_CONFIRMATION_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  APPROVAL_CONFIRMATION_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  APPROVAL_REFUND_THRESHOLD: z.coerce.number().min(0).default(0),
  APPROVAL_STOCK_ADJUST_THRESHOLD: z.coerce.number().int().min(0).default(50),
  // Stock transfers of one SKU from one location within 24 h above this many units wait for approval.
  STOCK_TRANSFER_APPROVAL_UNITS: z.coerce.number().int().min(0).default(50),
  // A transfer in transit longer than this shows up in the inventory check as stuck.
  INVENTORY_STUCK_TRANSFER_DAYS: z.coerce.number().int().min(1).default(14),
  APPROVERS: commaList,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_ALERTS_CHANNEL: optionalString,
  SLACK_APPROVERS: commaList,
  /**
   * Who may talk to the ops agent in Slack (mentions, DMs, thread replies, /orderops, App Home,
   * alert buttons): user ids and user-group ids. Empty: the SLACK_APPROVERS and nobody else.
   */
  SLACK_OPS_USERS: slackIdList('user ids (U…, W…) or user-group ids (S…)', /^[UWS][A-Z0-9]{2,}$/),
  /** When set, the agent answers only in these channels (and the alerts channel) and in DMs. */
  SLACK_OPS_CHANNELS: slackIdList('channel ids (C…, G…)', /^[CG][A-Z0-9]{2,}$/),
  SLACK_API_URL: optionalUrl(['http', 'https']),
  /** Local hour (STORE_TIMEZONE, 0-23) from which each day's briefing is posted to SLACK_ALERTS_CHANNEL. */
  BRIEFING_HOUR: z.coerce.number().int().min(0).max(23).default(8),

  SMTP_PORT: port(2525),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  IMAP_URL: optionalUrl(['imap', 'imaps']),
  EMAIL_INBOUND_SECRET: optionalString,
  SUPPORT_EMAIL: z.string().email().default('support@orderops.local'),
  /** Other addresses the SMTP door takes mail for; any other recipient is refused (550) at RCPT TO. */
  EMAIL_ALIASES: commaList.pipe(z.array(z.string().email({ message: 'must be comma-separated email addresses' }))),
  /** Largest inbound mail accepted (SMTP SIZE, webhook body, IMAP fetch), in bytes. */
  EMAIL_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /**
   * Mails from one sender handled automatically (an agent turn or an automatic reply, whatever
   * came of it) within a rolling hour; further mail is kept as rate_limited, not answered.
   */
  EMAIL_REPLIES_PER_HOUR: z.coerce.number().int().min(0).default(5),
  // The same across all senders together, per rolling minute and hour: caps what a flood from
  // many addresses can cost. Mail over it is kept as rate_limited for a person.
  EMAIL_GLOBAL_TURNS_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  EMAIL_GLOBAL_TURNS_PER_HOUR: z.coerce.number().int().min(0).default(600),
  /** Most bytes of a mail's text handed to the model; longer mail is cut (and the model told), the full text is stored. */
  EMAIL_MODEL_TEXT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024),
  // Per client IP at the SMTP door, per rolling minute: connections (over: 421 at the greeting)
  // and messages (over: 451 at MAIL FROM); both are temporary, so a real server retries later.
  // 0 turns a limit off; behind an MX or relay every mail comes from its address, so raise them.
  SMTP_IP_CONNECTIONS_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  SMTP_IP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /**
   * The authserv-id of the MTA in front of orderops (your MX). Set: only the topmost
   * Authentication-Results header with this id counts, and the SMTP door does not check senders
   * itself. Unset: the SMTP door is the first hop and checks SPF, DKIM and DMARC itself; mail from
   * IMAP or the webhook then counts as unverified. There is no mode that trusts a missing result.
   */
  EMAIL_AUTHSERV_ID: optionalString,
  /**
   * With EMAIL_AUTHSERV_ID: the IP addresses of that MTA, the only SMTP clients whose
   * Authentication-Results header counts. Anyone else who reaches the SMTP port could write the
   * header themselves. Empty: loopback only (an MTA on the same host).
   */
  EMAIL_TRUSTED_RELAYS: commaList.pipe(z.array(z.union([z.ipv4(), z.ipv6()], { message: 'must be comma-separated IP addresses' }))),
  IMAP_MAILBOX: z.string().default('INBOX'),
  IMAP_POLL_SECONDS: z.coerce.number().int().min(1).default(30),
  STORE_NAME: z.string().default('orderops demo store'),

  /** YAML routing rules loaded into routing_rules at start; a missing default file is skipped. */
  ROUTING_RULES_FILE: z.string().default('routing-rules.yaml'),
  /** Most shipments an order may split into when no rule sets its own cap. */
  ROUTING_MAX_SPLITS: z.coerce.number().int().min(1).max(20).default(3),
  /** The routing strategy when no matching rule sets one. */
  ROUTING_DEFAULT_STRATEGY: z.enum(['priority', 'nearest', 'lowest_cost', 'fewest_shipments']).default('fewest_shipments'),
  /** Where routing's shipping costs and transit days come from: the enabled carriers' rates, or the rate card alone. */
  ROUTING_QUOTES: z.enum(['carriers', 'estimate']).default('carriers'),
  /** How long routing waits for carrier quotes before it falls back to the rate card (the order is never refused for it). */
  ROUTING_QUOTE_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  // Carriers (src/config/open-carriers.ts): the adapters rate shopping may use, in this order.
  CARRIERS: commaList
    .refine((names) => names.every((n) => (CARRIER_ACCOUNTS as readonly string[]).includes(n)), {
      message: `must be comma-separated carrier accounts out of ${CARRIER_ACCOUNTS.join(', ')}`,
    })
    .transform((names) => (names.length === 0 ? ['sandbox'] : [...new Set(names)]) as CarrierAccount[]),
  /** Secret the sandbox carrier signs its tracking webhooks with; unset, its webhook door refuses everything. */
  SANDBOX_CARRIER_WEBHOOK_SECRET: optionalString,
  EASYPOST_API_KEY: optionalString,
  EASYPOST_API_URL: optionalUrl(['http', 'https']).transform((v) => v ?? 'https://api.easypost.com/v2'),
  /** The webhook secret set on the EasyPost webhook; unset, POST /webhooks/carriers/easypost refuses everything. */
  EASYPOST_WEBHOOK_SECRET: optionalString,
  SHIPPO_API_TOKEN: optionalString,
  SHIPPO_API_URL: optionalUrl(['http', 'https']).transform((v) => v ?? 'https://api.goshippo.com'),
  /**
   * Shippo webhook secret: accepted as the `token` query parameter of the webhook URL and as the
   * key of the HMAC signature in SHIPPO_WEBHOOK_HEADER. Unset, POST /webhooks/carriers/shippo refuses everything.
   */
  SHIPPO_WEBHOOK_SECRET: optionalString,
  SHIPPO_WEBHOOK_HEADER: z.string().trim().toLowerCase().min(1).default('shippo-auth-signature'),

  // Shopify (src/connectors/storefronts/shopify/): outbound calls need the shop and an Admin API
  // access token; the webhook door needs the app's webhook secret. Either half may be on alone.
  /** The shop's myshopify domain, e.g. example.myshopify.com. */
  SHOPIFY_SHOP_DOMAIN: optionalString.refine((v) => v === undefined || /^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i.test(v), {
    message: 'must be a host name such as example.myshopify.com, without https://',
  }),
  /** Admin API access token (shpat_...), sent as X-Shopify-Access-Token. */
  SHOPIFY_ACCESS_TOKEN: optionalString,
  /** The Admin GraphQL endpoint; https://{SHOPIFY_SHOP_DOMAIN}/admin/api/{SHOPIFY_API_VERSION}/graphql.json when unset. */
  SHOPIFY_API_URL: optionalUrl(['http', 'https']),
  /** The app's client secret Shopify signs webhooks with (X-Shopify-Hmac-Sha256); unset, POST /webhooks/shopify refuses everything. */
  SHOPIFY_WEBHOOK_SECRET: optionalString,
  /** Admin API version; 2026-04 is the first that requires the compare-and-set and idempotency key the connector sends. */
  SHOPIFY_API_VERSION: z.string().trim().regex(/^\d{4}-(01|04|07|10)$/, 'must be a Shopify API version such as 2026-04').default('2026-04'),
  /** The Shopify location (gid://shopify/Location/...) whose "available" quantity stock pushes set. */
  SHOPIFY_LOCATION_ID: optionalString.refine((v) => v === undefined || /^gid:\/\/shopify\/Location\/\d+$/.test(v), {
    message: 'must be a location gid such as gid://shopify/Location/123456',
  }),
  /** Minutes between reconciliation runs, and how far back each run looks (twice this); 0 turns it off. */
  SHOPIFY_RECONCILE_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(15),

  // WooCommerce (src/connectors/storefronts/woocommerce/): the store's base URL (the REST API is
  // {url}/wp-json/wc/v3), a REST API key pair with read/write access, and the secret set on the
  // store's webhooks. Without a secret POST /webhooks/woocommerce refuses every signed delivery;
  // without the URL and keys nothing is pushed or reconciled. None of it is needed to start.
  WOOCOMMERCE_URL: optionalUrl(['http', 'https']).transform((v) => v?.replace(/\/+$/, '')),
  WOOCOMMERCE_CONSUMER_KEY: optionalString,
  WOOCOMMERCE_CONSUMER_SECRET: optionalString,
  /** The secret of the store's webhooks, as typed in WooCommerce > Settings > Advanced > Webhooks. */
  WOOCOMMERCE_WEBHOOK_SECRET: optionalString,
  /** Minutes between passes that page the store's recent orders and take in any the webhooks missed. */
  WOOCOMMERCE_RECONCILE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(15),

  // Order risk score (0-100) at which an order gets a review flag, and at which it is held.
  ANOMALY_REVIEW_SCORE: z.coerce.number().min(0).max(100).default(50),
  ANOMALY_HOLD_SCORE: z.coerce.number().min(0).max(100).default(90),
  // Hours an order may stay in a status: "status=hours" pairs, "channel:status=hours" overrides.
  ANOMALY_SLA_HOURS: z
    .string()
    .regex(/^\s*([a-z0-9_.-]+:)?[a-z_ ()]+=\d+(\.\d+)?\s*(,\s*([a-z0-9_.-]+:)?[a-z_ ()]+=\d+(\.\d+)?\s*)*$/, {
      message: 'must be comma-separated status=hours pairs, e.g. pending=24,processed=48,shopify:processed=24',
    })
    .default('pending=24,processed=48,on_hold=24,exception=24'),
  // Replenishment lead time: a stock-out is projected when cover falls below it.
  ANOMALY_LEAD_TIME_DAYS: z.coerce.number().min(0).max(365).default(7),

  // Fulfilment: whether paid orders get their labels without a person asking (held or flagged
  // orders never do); the label cost above which the agent's buy_label waits for approval;
  // hours without carrier news before a shipment's tracking is polled; hours a bought label may
  // wait for its first carrier scan before the monitor flags it.
  AUTO_FULFIL: boolFlag(true),
  LABEL_APPROVAL_AMOUNT: z.coerce.number().min(0).default(25),
  TRACKING_POLL_HOURS: z.coerce.number().positive().default(6),
  LABEL_SCAN_HOURS: z.coerce.number().positive().default(24),

  // Stock pushed to the sales channels: minutes a channel may keep failing our pushes, or keep
  // holding a value other than ours, before a channel_stock_mismatch stock flag is raised.
  STOCK_SYNC_MISMATCH_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(15),

  // Customer notifications (src/notifications/).
  /**
   * The address customers reach this server at, the start of every link in a message (tracking
   * page, unsubscribe, Twilio callbacks); Twilio signs callbacks over it. Default: the server's own.
   */
  /** OTLP/HTTP collector base URL (spans go to <url>/v1/traces); unset: no tracing, nothing loaded. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http', 'https']).transform((v) => v?.replace(/\/+$/, '')),
  OTEL_SERVICE_NAME: z.string().min(1).default('orderops'),
  PUBLIC_URL: optionalUrl(['http', 'https']).transform((v) => v?.replace(/\/+$/, '')),
  /** Key that signs tracking-page and unsubscribe links; default: a random one kept in the database. */
  SIGNING_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  /** IANA time zone of the store: quiet hours and the dates in messages are read in it. */
  STORE_TIMEZONE: z.string().default('UTC').refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, { message: 'must be an IANA time zone such as Europe/London or America/New_York' }),
  /** YAML workflows loaded at start (the file's workflows replace earlier file ones; API edits stay). */
  NOTIFICATIONS_FILE: z.string().default('notifications/workflows.yaml'),
  /** Whether workflows send at all; off, events are still recorded and nothing is sent. */
  NOTIFICATIONS_ENABLED: boolFlag(true),
  // SMS through Twilio's Messages API; unset: SMS are written under DATA_DIR/sms-outbox/.
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  /** The sending number (E.164, +15005550006) or a Messaging Service SID (MG...). */
  TWILIO_FROM: optionalString,
  TWILIO_API_URL: z.string().url().default('https://api.twilio.com').transform((v) => v.replace(/\/+$/, '')),
}).superRefine((c, ctx) => {
  // One token with two meanings would let a channel client read everything.
  if (c.API_TOKEN && c.API_TOKENS.some((t) => t.token === c.API_TOKEN)) {
    const channel = c.API_TOKENS.find((t) => t.token === c.API_TOKEN)!.channel;
    ctx.addIssue({ code: 'custom', path: ['API_TOKENS'], message: `the ${channel} token is the same as API_TOKEN` });
  }
  // A scraper's token that is also a full or channel token would reach more than the metrics.
  if (c.METRICS_TOKEN && (c.METRICS_TOKEN === c.API_TOKEN || c.API_TOKENS.some((t) => t.token === c.METRICS_TOKEN))) {
    ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: 'must differ from API_TOKEN and every API_TOKENS token' });
  }
  // The API would accept jobs that no process in the room ever runs.
  if (!c.RUN_WORKERS && (!c.REDIS_URL || !c.DATABASE_URL)) {
    ctx.addIssue({ code: 'custom', path: ['RUN_WORKERS'], message: 'false needs REDIS_URL and DATABASE_URL, so `orderops worker` processes can run the jobs' });
  }
  // A listed carrier without its credentials would fail at the first label, hours after start-up.
  if (c.CARRIERS.includes('easypost') && !c.EASYPOST_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['EASYPOST_API_KEY'], message: 'must be set when CARRIERS lists easypost' });
  }
  // Half a Twilio account would fail at the first SMS, long after start-up.
  const twilio = { TWILIO_ACCOUNT_SID: c.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: c.TWILIO_AUTH_TOKEN, TWILIO_FROM: c.TWILIO_FROM };
  if (Object.values(twilio).some(Boolean)) {
    for (const [key, value] of Object.entries(twilio)) {
      if (!value) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set with the other TWILIO_* settings' });
    }
  }
  // Half an OIDC client would only fail when someone clicks the sign-on link.
  const oidc = { OIDC_ISSUER: c.OIDC_ISSUER, OIDC_CLIENT_ID: c.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: c.OIDC_CLIENT_SECRET };
  if (Object.values(oidc).some(Boolean)) {
    for (const [key, value] of Object.entries(oidc)) {
      if (!value) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set with the other OIDC_* settings (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)' });
    }
    // The issuer sends people back to PUBLIC_URL/auth/oidc/callback, which must be registered there.
    if (!c.PUBLIC_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be set when OIDC_ISSUER is (the redirect URI is PUBLIC_URL/auth/oidc/callback)' });
  }
  if (c.CARRIERS.includes('shippo') && !c.SHIPPO_API_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['SHIPPO_API_TOKEN'], message: 'must be set when CARRIERS lists shippo' });
  }
});

export type Config = z.infer<typeof configSchema>;

/** Raised when the environment holds a value that orderops cannot use; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; callers pass the result down rather than reading process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  return result.data;
}
