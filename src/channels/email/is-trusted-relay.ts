import { isIP } from 'node:net';

const LOOPBACK = ['127.0.0.1', '::1'];

/** An address as the SMTP server reports it, without the IPv4-mapped IPv6 prefix. */
const plain = (ip: string) => (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip).toLowerCase();

/**
 * Whether the SMTP client at `ip` is the MTA in front of us: one of `relays`, or, when none are
 * configured, this host's loopback.
 */
export function isTrustedRelay(ip: string, relays: string[]): boolean {
  const allowed = (relays.length ? relays : LOOPBACK).map(plain);
  return allowed.includes(plain(ip));
}
