import { request } from 'node:http';

export interface RawHttpAnswer {
  status: number;
  body: string;
}

/**
 * Sends one request with the request target exactly as given. `fetch` and Fastify's `inject`
 * normalise the path first (dot segments, case of escapes), which is what an attacker's own client
 * does not do; this goes over a real socket with the bytes unchanged.
 */
export function rawHttpRequest(
  base: string,
  input: { method: string; target: string; headers?: Record<string, string>; body?: string },
): Promise<RawHttpAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method: input.method, path: input.target, headers: { connection: 'close', ...input.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(input.body);
  });
}
