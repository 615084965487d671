import { ImapFlow } from 'imapflow';
import type { InboundEmail } from './inbound-email.js';
import { parseRawEmail } from './parse-raw-email.js';
import { UnparseableEmailError } from './unparseable-email-error.js';
import { tooLargeInMailbox, unparseableFromRaw, type UnparseableEmail } from './unparseable-email.js';

export interface ImapPollerOptions {
  /** imap://user:pass@host:port or imaps://... (IMAP_URL). */
  url: string;
  mailbox: string;
  intervalMs: number;
  maxBytes: number;
  /** Same contract as the SMTP door: a mail is flagged \Seen only after this resolves. */
  accept: (mail: InboundEmail) => Promise<void>;
  /** Keeps, for a person, a mail that can never be handled (unparseable, or too large to fetch); then it is flagged \Seen. */
  unparseable: (mail: UnparseableEmail) => Promise<void>;
  log?: (message: string) => void;
}

export interface ImapPoller {
  /** One pass over the unseen mail; resolves with how many were handed on. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

function clientFor(url: string): ImapFlow {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return new ImapFlow({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false,
    // A plain imap:// URL means a local or private-link server; do not insist on STARTTLS there.
    doSTARTTLS: secure ? undefined : false,
  } as ConstructorParameters<typeof ImapFlow>[0]);
}

/**
 * Polls a mailbox (IMAP_URL) for unseen mail and hands each to the shared inbound handler, then
 * flags it \Seen. Mail over the size limit is recorded (outcome too_large) and flagged without
 * being fetched; mail that cannot be parsed is kept (outcome unparseable) and flagged, so one
 * such mail neither blocks the mail behind it nor goes unnoticed. Each pass opens its
 * own connection: a poll every half minute does not need a held session, and a dropped
 * connection then heals by itself.
 */
export function startImapPoller(options: ImapPollerOptions, autoStart = true): ImapPoller {
  const log = options.log ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    const client = clientFor(options.url);
    client.on('error', (err: Error) => log(`imap: ${err.message}`));
    await client.connect();
    let handed = 0;
    try {
      const lock = await client.getMailboxLock(options.mailbox);
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of uids) {
          const meta = await client.fetchOne(String(uid), { size: true }, { uid: true });
          if (meta && (meta.size ?? 0) > options.maxBytes) {
            log(`imap: uid ${uid} is ${meta.size} bytes, over EMAIL_MAX_BYTES; flagged seen without reading`);
            const mailbox = client.mailbox && typeof client.mailbox === 'object' ? client.mailbox : undefined;
            await options.unparseable(
              tooLargeInMailbox({ mailbox: options.mailbox, uidValidity: String(mailbox?.uidValidity ?? ''), uid, sizeBytes: meta.size ?? 0, maxBytes: options.maxBytes }),
            );
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            continue;
          }
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (!message || !message.source) continue;
          let mail: InboundEmail;
          try {
            mail = await parseRawEmail(message.source, { source: 'imap', maxBytes: options.maxBytes });
          } catch (err) {
            if (!(err instanceof UnparseableEmailError)) throw err;
            log(`imap: uid ${uid} cannot be parsed (${err.message}); kept for a person and flagged seen`);
            await options.unparseable(unparseableFromRaw(message.source, { source: 'imap', reason: err.message }));
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            continue;
          }
          await options.accept(mail);
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          handed++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => undefined);
    }
    return handed;
  }

  const poller: ImapPoller = {
    pollOnce() {
      running ??= pass().finally(() => {
        running = undefined;
      });
      return running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      poller
        .pollOnce()
        .catch((err: Error) => log(`imap poll failed: ${err.message}`))
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  if (autoStart) {
    void poller.pollOnce().catch((err: Error) => log(`imap poll failed: ${err.message}`)).finally(schedule);
  }
  return poller;
}
