/**
 * A request URL with every query value replaced, for logs: Shippo signs nothing and sends its
 * webhook secret as `?token=`, and other callers may put keys in the query too. Names stay so a
 * log still shows which parameters came.
 */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? pair : `${pair.slice(0, eq)}=[redacted]`;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
