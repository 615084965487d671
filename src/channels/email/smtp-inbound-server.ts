import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EmailTooLargeError } from './email-too-large-error.js';
import { authenticateAtFirstHop, type FirstHopOptions } from './first-hop-authentication.js';
import { writtenBy } from './authentication-results.js';
import type { InboundEmail } from './inbound-email.js';
import { isTrustedRelay } from './is-trusted-relay.js';
import { ipRateKey } from './ip-rate-key.js';
import { parseRawEmail } from './parse-raw-email.js';
import { createSlidingWindowCounter } from './sliding-window-counter.js';
import { UnparseableEmailError } from './unparseable-email-error.js';
import { unparseableFromRaw, type UnparseableEmail } from './unparseable-email.js';

export interface SmtpInboundOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  maxBytes: number;
  /** The addresses mail is taken for (SUPPORT_EMAIL and EMAIL_ALIASES); any other RCPT TO gets 550. */
  recipients: string[];
  /** Per client IP (IPv6: per /64) per rolling minute; 0 or unset turns a limit off. */
  perIpPerMinute?: { connections: number; messages: number };
  /**
   * Takes the parsed mail; the SMTP transaction is answered 250 only after it resolves, so a
   * mail is never acknowledged before it is safely handed on (queued). A throw answers 451 and
   * the sending server retries later.
   */
  accept: (mail: InboundEmail) => Promise<void>;
  /**
   * Set when this door is the first hop (no MX in front): each mail's SPF, DKIM and DMARC are
   * checked against DNS through `resolver`, and the verdict is stamped on the mail. Unset behind
   * an MX, whose own Authentication-Results header then counts.
   */
  senderCheck?: FirstHopOptions;
  /**
   * Set behind an MX: only a client at one of `relays` may hand over Authentication-Results
   * headers under `authservId`; from anyone else such headers are removed, so the mail is
   * unverified.
   */
  trustedRelay?: { authservId: string; relays: string[] };
  log?: (message: string) => void;
  /**
   * Keeps a mail that can never be parsed, for a person. Once it resolves the sender gets 554: a
   * retry would fail the same way, and a 451 would have its server retry for days unseen.
   */
  unparseable: (mail: UnparseableEmail) => Promise<void>;
}

export interface SmtpInboundServer {
  port: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

const MINUTE_MS = 60_000;

/**
 * The inbound SMTP door (port SMTP_PORT): receives mail for the support address and its aliases.
 * Refusals come as early as they can: a flooding IP at the greeting (421) or at MAIL FROM (451),
 * both temporary so a real server retries; a foreign recipient at RCPT TO (550).
 */
export async function startSmtpInboundServer(options: SmtpInboundOptions): Promise<SmtpInboundServer> {
  const log = options.log ?? (() => {});
  const recipients = new Set(options.recipients.map((a) => a.toLowerCase()));
  const connections = createSlidingWindowCounter({ limit: options.perIpPerMinute?.connections ?? 0, windowMs: MINUTE_MS });
  const messages = createSlidingWindowCounter({ limit: options.perIpPerMinute?.messages ?? 0, windowMs: MINUTE_MS });
  const server = new SMTPServer({
    size: options.maxBytes,
    authOptional: true,
    // Mail arrives from the store's MX or a relay on a private link; TLS and AUTH belong there.
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'orderops inbound',
    logger: false,
    onConnect(session, callback) {
      if (connections.hit(ipRateKey(session.remoteAddress))) return callback();
      log(`smtp inbound: too many connections from ${session.remoteAddress}; refused with 421`);
      callback(smtpError('too many connections from your address, try again later', 421));
    },
    onMailFrom(_address, session, callback) {
      if (messages.hit(ipRateKey(session.remoteAddress))) return callback();
      log(`smtp inbound: too many messages from ${session.remoteAddress}; deferred with 451`);
      callback(smtpError('too many messages from your address, try again later', 451));
    },
    onRcptTo(address, _session, callback) {
      if (recipients.has(address.address.toLowerCase())) return callback();
      callback(smtpError(`no mailbox here by that name: <${address.address}>`, 550));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(`message exceeds the size limit of ${options.maxBytes} bytes`, 552));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        const raw = Buffer.concat(chunks);
        const check = options.senderCheck;
        const hop = { ip: session.remoteAddress, helo: session.hostNameAppearsAs, mailFrom: mailFrom ? mailFrom.address : '' };
        parseRawEmail(raw, {
          source: 'smtp',
          maxBytes: options.maxBytes,
          envelopeFrom: mailFrom ? mailFrom.address.toLowerCase() : '',
        })
          .then((mail) => (check ? authenticateAtFirstHop(mail, raw, hop, check) : withoutUntrustedResults(mail, hop.ip, options.trustedRelay, log)))
          .then((mail) => options.accept(mail))
          .then(() => callback())
          .catch((err: Error) => {
            if (err instanceof EmailTooLargeError) return callback(smtpError(err.message, 552));
            if (err instanceof UnparseableEmailError) {
              const kept = unparseableFromRaw(Buffer.concat(chunks), {
                source: 'smtp',
                reason: err.message,
                envelopeFrom: mailFrom ? mailFrom.address.toLowerCase() : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              });
              options.unparseable(kept).then(
                () => callback(smtpError(`${err.message}; it was not delivered`, 554)),
                (keepErr: Error) => {
                  log(`smtp inbound: could not keep an unparseable message: ${keepErr.message}`);
                  callback(smtpError('temporary failure, try again later', 451));
                },
              );
              return;
            }
            log(`smtp inbound: could not take a message: ${err.message}`);
            callback(smtpError('temporary failure, try again later', 451));
          });
      });
    },
  });
  server.on('error', (err) => log(`smtp inbound: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The mail without Authentication-Results headers under the MX's id, unless the MX itself handed it over. */
function withoutUntrustedResults(mail: InboundEmail, ip: string, trusted: SmtpInboundOptions['trustedRelay'], log: (m: string) => void): InboundEmail {
  if (!trusted || isTrustedRelay(ip, trusted.relays)) return mail;
  const all = mail.headers['authentication-results'] ?? [];
  const kept = all.filter((v) => !writtenBy(v, trusted.authservId));
  if (kept.length !== all.length) log(`smtp inbound: dropped Authentication-Results claiming ${trusted.authservId} from ${ip}, which is not a trusted relay`);
  return { ...mail, headers: { ...mail.headers, 'authentication-results': kept } };
}
