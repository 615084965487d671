import { createHmac } from 'node:crypto';

export interface WooDelivery {
  headers: Record<string, string>;
  rawBody: Buffer;
}

/**
 * WordPress's wp_specialchars_decode(ENT_QUOTES), written out again here on purpose: the test
 * sender must not borrow the verifier's code, or a shared mistake would pass.
 */
function decodeLikeWordPress(secret: string): string {
  const table: [RegExp, string][] = [
    [/&#0*39;|&#x0*27;/gi, "'"],
    [/&quot;|&#0*34;|&#x0*22;/gi, '"'],
    [/&lt;|&#0*60;/g, '<'],
    [/&gt;|&#0*62;/g, '>'],
  ];
  // &amp; last and once, as strtr leaves what it produced alone.
  let out = '';
  for (const piece of secret.split(/(&amp;|&#0*38;|&#x0*26;)/i)) {
    if (/^(&amp;|&#0*38;|&#x0*26;)$/i.test(piece)) out += '\u0000AMP\u0000';
    else out += table.reduce((s, [re, ch]) => s.replace(re, ch), piece);
  }
  return out.replace(/\u0000AMP\u0000/g, '&');
}

let deliveries = 0;

/**
 * A delivery as WC_Webhook::deliver sends it: the JSON body (wp_json_encode, trimmed), and the
 * X-WC-Webhook-* headers with the signature base64(HMAC-SHA256(body, decoded secret)).
 */
export function wooWebhookDelivery(
  topic: string,
  payload: unknown,
  secret: string,
  options: { deliveryId?: string; webhookId?: number; signature?: string | null; rawBody?: string } = {},
): WooDelivery {
  const rawBody = Buffer.from(options.rawBody ?? JSON.stringify(payload).trim());
  const [resource, event] = topic.split('.');
  const signature = options.signature === undefined ? createHmac('sha256', decodeLikeWordPress(secret)).update(rawBody).digest('base64') : options.signature;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.9.0 Hookshot (WordPress/6.8.1)',
    'x-wc-webhook-source': 'https://shop.example.com/',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource ?? '',
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-id': String(options.webhookId ?? 12),
    'x-wc-webhook-delivery-id': options.deliveryId ?? `delivery-${Date.now()}-${++deliveries}`,
  };
  if (signature !== null) headers['x-wc-webhook-signature'] = signature;
  return { headers, rawBody };
}

/**
 * The ping WC_Webhook::deliver_ping posts when a webhook is saved: a form body `webhook_id=N` with
 * WordPress's user agent and no X-WC-Webhook-* headers at all (nothing is signed).
 */
export function wooWebhookPing(webhookId = 12): WooDelivery {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/9.9.0 Hookshot (WordPress/6.8.1)' },
    rawBody: Buffer.from(`webhook_id=${webhookId}`),
  };
}
