import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EmailTooLargeError } from './email-too-large-error.js';
import { authenticateAtFirstHop, type FirstHopOptions } from './first-hop-authentication.js';
import type { InboundEmail } from './inbound-email.js';
import { parseRawEmail } from './parse-raw-email.js';

export interface SmtpInboundOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  maxBytes: number;
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
  log?: (message: string) => void;
}

export interface SmtpInboundServer {
  port: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** The inbound SMTP door (port SMTP_PORT): receives mail for the support address. */
export async function startSmtpInboundServer(options: SmtpInboundOptions): Promise<SmtpInboundServer> {
  const log = options.log ?? (() => {});
  const server = new SMTPServer({
    size: options.maxBytes,
    authOptional: true,
    // Mail arrives from the store's MX or a relay on a private link; TLS and AUTH belong there.
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'orderops inbound',
    logger: false,
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
          .then((mail) => (check ? authenticateAtFirstHop(mail, raw, hop, check) : mail))
          .then((mail) => options.accept(mail))
          .then(() => callback())
          .catch((err: Error) => {
            if (err instanceof EmailTooLargeError) return callback(smtpError(err.message, 552));
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
