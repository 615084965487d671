import type { RequesterVerification } from '../../agent/requester-verification.js';

export type MethodVerdict = 'pass' | 'fail' | 'none';

/** Whether the From address of one mail is believed, and on what grounds. */
export interface SenderAuthentication {
  verified: boolean;
  /** What vouched for the From domain, or why nothing did, e.g. "DMARC pass for example.com". */
  reason: string;
  spf: MethodVerdict;
  dkim: MethodVerdict;
  dmarc: MethodVerdict;
}

export const domainOf = (address: string): string => (address.split('@').pop() ?? '').toLowerCase().replace(/\.$/, '');

/**
 * Whether a domain that passed SPF or DKIM speaks for the From domain: the same domain, or one
 * below it (bounces.example.com for example.com). Stricter than DMARC's relaxed alignment, which
 * needs the public-suffix list to tell example.com from github.io; a DMARC pass covers the rest.
 */
export function alignedWith(authenticated: string | undefined, fromDomain: string): boolean {
  if (!authenticated || !fromDomain) return false;
  const d = domainOf(authenticated.replace(/^@/, ''));
  return d === fromDomain || d.endsWith(`.${fromDomain}`);
}

/** The verdict from per-method results already reduced to the From domain. */
export function verdictFor(fromDomain: string, methods: { spf: MethodVerdict; dkim: MethodVerdict; dmarc: MethodVerdict }): SenderAuthentication {
  const summary = `spf=${methods.spf} dkim=${methods.dkim} dmarc=${methods.dmarc}`;
  if (!fromDomain) return { verified: false, reason: 'the mail has no single From address', ...methods };
  if (methods.dmarc === 'fail') return { verified: false, reason: `DMARC fail for ${fromDomain} (${summary})`, ...methods };
  if (methods.dmarc === 'pass') return { verified: true, reason: `DMARC pass for ${fromDomain}`, ...methods };
  if (methods.dkim === 'pass') return { verified: true, reason: `DKIM pass aligned with ${fromDomain}`, ...methods };
  if (methods.spf === 'pass') return { verified: true, reason: `SPF pass aligned with ${fromDomain}`, ...methods };
  return { verified: false, reason: `no SPF, DKIM or DMARC pass for ${fromDomain} (${summary})`, ...methods };
}

export const unverified = (reason: string): SenderAuthentication => ({ verified: false, reason, spf: 'none', dkim: 'none', dmarc: 'none' });

/** The verification an approval records for a request made by this mail's sender. */
export function emailRequesterVerification(auth: SenderAuthentication): RequesterVerification {
  return auth.verified ? { verified: true, summary: `email, ${auth.reason}` } : { verified: false, summary: `email, unverified sender (${auth.reason})` };
}
