import { SmsSendError, type SmsSender, type SmsSendResult } from '../../../notifications/sms-sender.js';

export interface TwilioSmsSenderOptions {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164), or a Messaging Service SID (MG...) to send through that service. */
  from: string;
  /** Twilio's REST base, https://api.twilio.com (a local server in tests). */
  apiUrl: string;
  fetch?: typeof fetch;
  /** How long one request may take before it counts as failed and retryable (default 10 s). */
  timeoutMs?: number;
}

/** Twilio's error body: `{ code, message, more_info, status }`. */
interface TwilioErrorBody {
  code?: number | string;
  message?: string;
  more_info?: string;
  status?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const REMEMBERED_SENDS = 1000;

/**
 * Sends SMS through Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json). The
 * idempotency key goes as I-Twilio-Idempotency-Token, so a retry of a request whose answer was
 * lost gets the first message back instead of sending a second; this process also remembers the
 * SID each key got. A timeout, a network error, 429 or 5xx is a retryable SmsSendError; any other
 * refusal is permanent and carries Twilio's error code (21610: the recipient replied STOP; 21211:
 * not a valid number).
 */
export function createTwilioSmsSender(options: TwilioSmsSenderOptions): SmsSender {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const sent = new Map<string, SmsSendResult>();

  return {
    kind: 'twilio',
    async send(sms) {
      const known = sent.get(sms.idempotencyKey);
      if (known) return known;
      const form = new URLSearchParams({ To: sms.to, Body: sms.body });
      form.set(options.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', options.from);
      if (sms.statusCallbackUrl) form.set('StatusCallback', sms.statusCallbackUrl);

      let res: Response;
      try {
        res = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            'i-twilio-idempotency-token': sms.idempotencyKey,
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
        throw new SmsSendError(
          timedOut ? `Twilio did not answer within ${timeoutMs} ms` : `Twilio could not be reached: ${(err as Error).message}`,
          true,
          timedOut ? 'timeout' : 'network',
        );
      }
      const text = await res.text().catch(() => '');
      const body = parseJson(text);
      if (!res.ok) throw errorFrom(res.status, body as TwilioErrorBody | null, sms.to);
      const message = body as { sid?: unknown; status?: unknown } | null;
      if (!message || typeof message.sid !== 'string' || !message.sid) {
        // The same idempotency token makes trying again safe.
        throw new SmsSendError(`Twilio answered ${res.status} without a message SID`, true, 'bad_response');
      }
      const result = { providerId: message.sid, status: typeof message.status === 'string' ? message.status : 'queued' };
      if (sent.size >= REMEMBERED_SENDS) sent.delete(sent.keys().next().value!);
      sent.set(sms.idempotencyKey, result);
      return result;
    },
  };
}

function errorFrom(httpStatus: number, body: TwilioErrorBody | null, to: string): SmsSendError {
  const retryable = httpStatus === 429 || httpStatus >= 500;
  const code = body?.code !== undefined && body.code !== null ? String(body.code) : `http_${httpStatus}`;
  const what = body?.message ?? `HTTP ${httpStatus}`;
  const more = body?.more_info ? ` (${body.more_info})` : '';
  return new SmsSendError(`Twilio ${retryable ? 'could not take' : 'refused'} the message to ${to}: ${what} [${code}]${more}`, retryable, code);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
