import { generateKeyPairSync } from 'node:crypto';

/** A DKIM signing identity whose public key the test DNS publishes. */
export interface DkimIdentity {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * DNS for tests: TXT records the test writes (SPF, DKIM keys, DMARC), answered in the shape of
 * node's `dns.promises.resolve`, and "no such name" for everything else, the way a real resolver
 * answers for a domain that publishes nothing.
 */
export interface TestDns {
  resolver: (name: string, rrtype: string) => Promise<string[][] | string[]>;
  /** Adds one TXT record at `name`. */
  publishTxt(name: string, value: string): void;
  /** Removes every record at `name`. */
  unpublish(name: string): void;
  /**
   * A domain that signs its mail: a fresh RSA key, its public half at `<selector>._domainkey.<domain>`
   * and, unless `dmarc` is false, a DMARC record (p=reject by default). The same identity is
   * returned for a domain on later calls.
   */
  signingDomain(domain: string, options?: { dmarc?: 'reject' | 'none' | false }): DkimIdentity;
  /** A key that no DNS record vouches for (an attacker signing as someone else). */
  unpublishedKey(domain: string): DkimIdentity;
  /** Every name looked up, in order. */
  queries: string[];
}

const notFound = (name: string): Error => Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND', hostname: name });

function newKey(): { privateKey: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export function createTestDns(): TestDns {
  const txt = new Map<string, string[]>();
  const identities = new Map<string, DkimIdentity>();
  const queries: string[] = [];
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const dns: TestDns = {
    queries,
    async resolver(name, rrtype) {
      queries.push(`${rrtype} ${name}`);
      const records = rrtype === 'TXT' ? txt.get(key(name)) : undefined;
      if (!records?.length) throw notFound(name);
      return records.map((r) => [r]);
    },
    publishTxt(name, value) {
      const list = txt.get(key(name)) ?? [];
      list.push(value);
      txt.set(key(name), list);
    },
    unpublish(name) {
      txt.delete(key(name));
    },
    signingDomain(domain, options = {}) {
      const existing = identities.get(domain);
      if (existing) return existing;
      const { privateKey, publicKeyBase64 } = newKey();
      const identity = { domainName: domain, keySelector: 'test', privateKey };
      dns.publishTxt(`test._domainkey.${domain}`, `v=DKIM1; k=rsa; p=${publicKeyBase64}`);
      const dmarc = options.dmarc ?? 'reject';
      if (dmarc) dns.publishTxt(`_dmarc.${domain}`, `v=DMARC1; p=${dmarc}`);
      identities.set(domain, identity);
      return identity;
    },
    unpublishedKey(domain) {
      return { domainName: domain, keySelector: 'test', privateKey: newKey().privateKey };
    },
  };
  return dns;
}
