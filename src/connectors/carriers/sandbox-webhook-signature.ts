import { createHmac, timingSafeEqual } from 'node:crypto';

/** A sandbox webhook older (or further in the future) than this is refused as stale or replayed. */
export const SANDBOX_WEBHOOK_MAX_AGE_SECONDS = 5 * 60;
export const SANDBOX_TIMESTAMP_HEADER = 'x-sandbox-timestamp';
export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

const digest = (secret: string, timestamp: string, rawBody: Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');

/** The headers the sandbox carrier sends a webhook with: `v1=` HMAC-SHA256 of `{timestamp}.{body}`. */
export function signSandboxWebhook(secret: string, rawBody: Buffer, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { [SANDBOX_TIMESTAMP_HEADER]: timestamp, [SANDBOX_SIGNATURE_HEADER]: `v1=${digest(secret, timestamp, rawBody)}` };
}

/** Why a sandbox webhook is not authentic and fresh, or null when it is. */
export function sandboxWebhookRefusal(input: {
  secret: string | undefined;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): string | null {
  if (!input.secret) return 'the sandbox webhook secret is not configured (SANDBOX_CARRIER_WEBHOOK_SECRET)';
  if (!input.timestamp) return `missing ${SANDBOX_TIMESTAMP_HEADER}`;
  if (!input.signature) return `missing ${SANDBOX_SIGNATURE_HEADER}`;
  if (!/^\d+$/.test(input.timestamp)) return `${SANDBOX_TIMESTAMP_HEADER} is not a number of seconds`;
  if (Math.abs(Math.floor(input.nowMs / 1000) - Number(input.timestamp)) > SANDBOX_WEBHOOK_MAX_AGE_SECONDS) {
    return `${SANDBOX_TIMESTAMP_HEADER} is more than 5 minutes from now (stale or replayed)`;
  }
  const expected = Buffer.from(`v1=${digest(input.secret, input.timestamp, input.rawBody)}`);
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return null;
}
