import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** Header lines, lower-cased name to unfolded values. */
  headers: Record<string, string[]>;
  receivedAt: number;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps every message it accepts, standing in for the
 * next hop our replies go to. Tests and the email benchmark read what arrived from it.
 */
export interface CaptureSmtpServer {
  url: string;
  port: number;
  messages: CapturedMail[];
  /** Resolves with the first captured mail (already here or still to come) that matches. */
  waitFor(match: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  /** Resolves once `count` mails have arrived in total. */
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  /** From now on answers every RCPT TO with this SMTP reply (451 to defer, 550 to refuse); null accepts again. */
  refuseRecipients(reply: { code: number; message: string } | null): void;
  /**
   * Goes out of service as a relay down for maintenance does: until resume(), every new
   * connection is greeted with 421 and closed, and a session already open gets 421 to its next
   * command (MAIL, RCPT or the end of DATA) and is closed. Nothing is accepted meanwhile.
   */
  pause(): void;
  resume(): void;
  /** Connections and commands turned away with 421 while paused, since the start. */
  readonly refusals: number;
  close(): Promise<void>;
}

export async function startCaptureSmtpServer(): Promise<CaptureSmtpServer> {
  const messages: CapturedMail[] = [];
  const waiters = new Set<() => void>();
  let refusal: { code: number; message: string } | null = null;
  let paused = false;
  let refusals = 0;
  // RFC 5321 4.2.3: 421 is the reply of a server that cannot serve now and closes the channel; smtp-server closes after sending it.
  const unavailable = () => {
    refusals++;
    return Object.assign(new Error('Service not available, closing transmission channel'), { responseCode: 421 });
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      callback(paused ? unavailable() : null);
    },
    onMailFrom(_address, _session, callback) {
      callback(paused ? unavailable() : null);
    },
    onRcptTo(_address, _session, callback) {
      if (paused) return callback(unavailable());
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (paused) return callback(unavailable());
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const headers: Record<string, string[]> = {};
            for (const { key, line } of parsed.headerLines) {
              (headers[key] ??= []).push(line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
            }
            messages.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
              headers,
              receivedAt: performance.now(),
            });
            for (const w of waiters) w();
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  const waitUntil = (done: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const check = () => {
        if (done()) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`capture SMTP server: ${what} did not arrive within ${timeoutMs} ms (have ${messages.length})`));
      }, timeoutMs);
      waiters.add(check);
    });

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    async waitFor(match, timeoutMs = 15_000) {
      await waitUntil(() => messages.some(match), 'the expected mail', timeoutMs);
      return messages.find(match)!;
    },
    async waitForCount(count, timeoutMs = 60_000) {
      await waitUntil(() => messages.length >= count, `${count} mails`, timeoutMs);
    },
    refuseRecipients(reply) {
      refusal = reply;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    get refusals() {
      return refusals;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
