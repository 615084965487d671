import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface StoredMessage {
  uid: number;
  raw: Buffer;
  flags: Set<string>;
}

/**
 * A small IMAP4rev1 server on 127.0.0.1 holding one mailbox in memory: enough of the protocol
 * (LOGIN, SELECT, UID SEARCH, UID FETCH, UID STORE, LOGOUT) for the IMAP poller to run against a
 * real socket. Tests put mail in with `deliver` and read flags back.
 */
export class LocalImapServer {
  readonly commands: string[] = [];
  private readonly messages: StoredMessage[] = [];
  private server: Server | undefined;
  private nextUid = 1;
  port = 0;

  constructor(
    private readonly user = 'support',
    private readonly pass = 'secret',
  ) {}

  deliver(raw: string | Buffer): number {
    const uid = this.nextUid++;
    this.messages.push({ uid, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw), flags: new Set() });
    return uid;
  }

  flagsOf(uid: number): string[] {
    return [...(this.messages.find((m) => m.uid === uid)?.flags ?? [])];
  }

  get url(): string {
    return `imap://${this.user}:${this.pass}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private seqOf(uid: number): number {
    return this.messages.findIndex((m) => m.uid === uid) + 1;
  }

  private uidsIn(set: string): StoredMessage[] {
    const max = this.messages.at(-1)?.uid ?? 0;
    const wanted = new Set<number>();
    for (const part of set.split(',')) {
      const [a, b] = part.split(':');
      const lo = a === '*' ? max : Number(a);
      const hi = b === undefined ? lo : b === '*' ? max : Number(b);
      for (let u = Math.min(lo, hi); u <= Math.max(lo, hi); u++) wanted.add(u);
    }
    return this.messages.filter((m) => wanted.has(m.uid));
  }

  private session(socket: Socket): void {
    let buffer = '';
    const send = (line: string | Buffer) => socket.write(line);
    send('* OK [CAPABILITY IMAP4rev1 UIDPLUS] local IMAP ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        this.handle(line, send, socket);
      }
    });
    socket.on('error', () => undefined);
  }

  private handle(line: string, send: (l: string | Buffer) => void, socket: Socket): void {
    this.commands.push(line);
    const [tag, ...rest] = line.split(' ');
    let command = (rest[0] ?? '').toUpperCase();
    let args = rest.slice(1).join(' ');
    let byUid = false;
    if (command === 'UID') {
      byUid = true;
      command = (rest[1] ?? '').toUpperCase();
      args = rest.slice(2).join(' ');
    }
    switch (command) {
      case 'CAPABILITY':
        send('* CAPABILITY IMAP4rev1 UIDPLUS\r\n');
        return void send(`${tag} OK CAPABILITY completed\r\n`);
      case 'LOGIN': {
        const [u, p] = args.split(' ').map((s) => s.replace(/^"|"$/g, ''));
        if (u === this.user && p === this.pass) return void send(`${tag} OK [CAPABILITY IMAP4rev1 UIDPLUS] LOGIN completed\r\n`);
        return void send(`${tag} NO [AUTHENTICATIONFAILED] bad credentials\r\n`);
      }
      case 'LIST':
        send('* LIST (\\HasNoChildren) "/" INBOX\r\n');
        return void send(`${tag} OK LIST completed\r\n`);
      case 'SELECT':
      case 'EXAMINE': {
        const max = this.messages.at(-1)?.uid ?? 0;
        send('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n');
        send('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags\r\n');
        send(`* ${this.messages.length} EXISTS\r\n`);
        send('* 0 RECENT\r\n');
        send('* OK [UIDVALIDITY 1] uids valid\r\n');
        send(`* OK [UIDNEXT ${max + 1}] next uid\r\n`);
        return void send(`${tag} OK [READ-WRITE] ${command} completed\r\n`);
      }
      case 'SEARCH': {
        const unseenOnly = /UNSEEN/i.test(args);
        const hits = this.messages.filter((m) => !unseenOnly || !m.flags.has('\\Seen')).map((m) => (byUid ? m.uid : this.seqOf(m.uid)));
        send(`* SEARCH${hits.map((h) => ` ${h}`).join('')}\r\n`);
        return void send(`${tag} OK SEARCH completed\r\n`);
      }
      case 'FETCH': {
        const [set, ...itemParts] = args.split(' ');
        const items = itemParts.join(' ').toUpperCase();
        const targets = byUid ? this.uidsIn(set!) : this.uidsIn(set!).filter(() => true);
        for (const m of targets) {
          const parts = [`UID ${m.uid}`];
          if (items.includes('RFC822.SIZE')) parts.push(`RFC822.SIZE ${m.raw.length}`);
          if (items.includes('FLAGS')) parts.push(`FLAGS (${[...m.flags].join(' ')})`);
          const wantsBody = items.includes('BODY[]') || items.includes('BODY.PEEK[]') || items.includes('RFC822)') || /\bRFC822\b(?!\.)/.test(items);
          if (wantsBody) {
            send(`* ${this.seqOf(m.uid)} FETCH (${parts.join(' ')} BODY[] {${m.raw.length}}\r\n`);
            send(m.raw);
            send(')\r\n');
          } else {
            send(`* ${this.seqOf(m.uid)} FETCH (${parts.join(' ')})\r\n`);
          }
        }
        return void send(`${tag} OK FETCH completed\r\n`);
      }
      case 'STORE': {
        const [set, op, ...flagParts] = args.split(' ');
        const flags = flagParts.join(' ').replace(/[()]/g, '').split(/\s+/).filter(Boolean);
        for (const m of this.uidsIn(set!)) {
          for (const f of flags) {
            if (op!.startsWith('+')) m.flags.add(f);
            else if (op!.startsWith('-')) m.flags.delete(f);
          }
          if (!op!.toUpperCase().includes('SILENT')) send(`* ${this.seqOf(m.uid)} FETCH (UID ${m.uid} FLAGS (${[...m.flags].join(' ')}))\r\n`);
        }
        return void send(`${tag} OK STORE completed\r\n`);
      }
      case 'LOGOUT':
        send('* BYE logging out\r\n');
        send(`${tag} OK LOGOUT completed\r\n`);
        return void socket.end();
      default:
        return void send(`${tag} OK ${command} completed\r\n`);
    }
  }
}
