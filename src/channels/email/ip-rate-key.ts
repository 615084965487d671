function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The key a client address is rate-limited under: the IPv4 address (also when it arrives
 * IPv4-mapped, ::ffff:a.b.c.d), or the /64 prefix of an IPv6 address, the smallest block one
 * subscriber is normally given: limiting single IPv6 addresses would limit nothing.
 */
export function ipRateKey(address: string | undefined): string {
  const a = (address ?? '').trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(':')) return a;
  return `${expandIpv6(a).slice(0, 4).join(':')}::/64`;
}
