import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses to count a request as fresh when its timestamp is further than this from now. */
export const SLACK_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export interface SlackSignatureInput {
  signingSecret: string;
  /** The request body exactly as it arrived, before any parsing. */
  rawBody: string;
  /** `X-Slack-Request-Timestamp` (seconds since the epoch). */
  timestamp: string | undefined;
  /** `X-Slack-Signature` (`v0=<hex>`). */
  signature: string | undefined;
  nowMs?: number;
}

/** The v0 signature Slack puts on a request: HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function computeSlackSignature(signingSecret: string, timestamp: string | number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}

/**
 * Why a request does not carry a valid Slack v0 signature, or null when it does. The reason is
 * for logs only; callers answer 401 whatever it says.
 */
export function slackSignatureRefusal(input: SlackSignatureInput): string | null {
  const { timestamp, signature } = input;
  if (!timestamp) return 'missing X-Slack-Request-Timestamp';
  if (!signature) return 'missing X-Slack-Signature';
  if (!/^\d+$/.test(timestamp)) return 'X-Slack-Request-Timestamp is not a number of seconds';
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_SIGNATURE_MAX_AGE_SECONDS) {
    return 'X-Slack-Request-Timestamp is more than 5 minutes from now (stale or replayed)';
  }
  if (!signature.startsWith('v0=')) return 'X-Slack-Signature is not a v0 signature';
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return null;
}
