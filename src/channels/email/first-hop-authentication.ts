import { Resolver } from 'node:dns/promises';
import { authenticate, type DNSResolver } from 'mailauth';
import { writtenBy } from './authentication-results.js';
import type { InboundEmail } from './inbound-email.js';
import { alignedWith, domainOf, unverified, verdictFor, type SenderAuthentication } from './sender-authentication.js';

/** DNS as mailauth asks for it: `(name, 'TXT' | 'A' | 'MX' | …)`, answering like `dns.promises.resolve`. */
export type DnsResolver = DNSResolver;

/** What the SMTP session says about the hop that handed us the mail. */
export interface SmtpHop {
  /** The connecting client's IP address. */
  ip: string;
  /** The name it gave in HELO/EHLO. */
  helo: string;
  /** MAIL FROM; empty for the null sender. */
  mailFrom: string;
}

export interface FirstHopOptions {
  /** The authserv-id we stamp and strip (ours, so no sender may write it). */
  authservId: string;
  resolver: DnsResolver;
}

/** Production DNS: the system's resolvers, with short timeouts so a slow zone cannot hold an SMTP session for long. */
export function systemDnsResolver(): DnsResolver {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  return (name, rrtype) => resolver.resolve(name, rrtype) as ReturnType<DnsResolver>;
}

function headerValue(block: string, name: string): string | null {
  const line = block.split(/\r?\n(?=\S)/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : null;
}

/**
 * SPF (for the connecting IP, HELO and MAIL FROM), DKIM and DMARC for one mail, with mailauth.
 * The verdict speaks only for the From domain: a DMARC pass, or an SPF or DKIM pass aligned with
 * it. ARC and BIMI are not consulted: we trust no sealer, and logos are not our business.
 */
export async function checkFirstHop(raw: Buffer, from: string, hop: SmtpHop, options: FirstHopOptions): Promise<{ auth: SenderAuthentication; header: string }> {
  const fallbackHeader = (reason: string) => `${options.authservId}; none (${reason.replace(/[()]/g, '')})`;
  let result: Awaited<ReturnType<typeof authenticate>>;
  try {
    result = await authenticate(raw, {
      ip: hop.ip,
      helo: hop.helo,
      sender: hop.mailFrom,
      mta: options.authservId,
      resolver: options.resolver,
      disableArc: true,
      disableBimi: true,
    });
  } catch (err) {
    const reason = `the sender check failed: ${(err as Error).message}`;
    return { auth: unverified(reason), header: fallbackHeader(reason) };
  }
  const header = headerValue(result.headers, 'Authentication-Results') ?? fallbackHeader('no result');
  const fromDomain = domainOf(from);
  const headerFrom = result.dkim.headerFrom ?? [];
  if (headerFrom.length !== 1 || domainOf(headerFrom[0]!) !== fromDomain) return { auth: unverified('the mail has no single From address'), header };
  const dkimPasses = result.dkim.results.filter((r) => r.status.result === 'pass');
  const spfResult = result.spf ? result.spf.status.result : 'none';
  const dmarcResult = result.dmarc ? result.dmarc.status.result : 'none';
  const auth = verdictFor(fromDomain, {
    dmarc: dmarcResult === 'pass' ? 'pass' : dmarcResult === 'fail' ? 'fail' : 'none',
    dkim: dkimPasses.some((r) => alignedWith(r.signingDomain, fromDomain))
      ? 'pass'
      : result.dkim.results.some((r) => r.status.result !== 'none')
        ? 'fail'
        : 'none',
    spf: spfResult === 'pass' && result.spf && alignedWith(result.spf.domain, fromDomain) ? 'pass' : spfResult === 'none' || spfResult === 'neutral' ? 'none' : 'fail',
  });
  return { auth, header };
}

/**
 * The mail as the first hop hands it on: every Authentication-Results header claiming our
 * authserv-id removed (only we may write one), ours on top, and the verdict itself attached.
 */
export async function authenticateAtFirstHop(mail: InboundEmail, raw: Buffer, hop: SmtpHop, options: FirstHopOptions): Promise<InboundEmail> {
  const { auth, header } = await checkFirstHop(raw, mail.from.address, hop, options);
  const others = (mail.headers['authentication-results'] ?? []).filter((v) => !writtenBy(v, options.authservId));
  return { ...mail, headers: { ...mail.headers, 'authentication-results': [header, ...others] }, senderAuth: auth };
}
