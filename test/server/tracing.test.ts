import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type AppExtension } from '../../src/server/start-app.js';
import { startTracing } from '../../src/server/tracing.js';
import { testAppConfig } from '../support/test-app-config.js';

interface OtlpSpan {
  traceId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  status?: { code?: number };
}

/** An OTLP/HTTP collector on 127.0.0.1 that keeps the spans of every JSON export it is sent. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; posts: string[]; close: () => Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const posts: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const sent = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const r of sent.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    posts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

describe('tracing behind OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  });

  it('is off, with nothing loaded, when no collector is configured', async () => {
    expect(await startTracing(testAppConfig('no-tracing'))).toBeNull();
  });

  it('sends a span per request, continuing the caller\'s trace, and one per job run', async () => {
    const collector = await startCollector();
    cleanups.push(() => collector.close());
    let jobRan!: () => void;
    const ran = new Promise<void>((r) => (jobRan = r));
    const tracedJob: AppExtension = async (ctx) => {
      ctx.queue.register('test-traced', async () => jobRan(), { concurrency: 1 });
    };
    const running = await startApp(testAppConfig('tracing', { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_SERVICE_NAME: 'orderops-test' }), {
      extensions: [tracedJob],
      log: () => undefined,
    });
    cleanups.push(() => running.stop());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const health = await fetch(`${running.url}/healthz`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(health.status).toBe(200);
    const missing = await fetch(`${running.url}/api/orders/ord_does_not_exist?token=secret-in-query`);
    expect(missing.status).toBe(404);
    await running.queue.enqueue('test-traced', {}, { jobId: 'traced-1' });
    await ran;
    // Stopping flushes what the batch processor still holds.
    await running.stop();

    expect(collector.posts.every((p) => p.startsWith('POST /v1/traces application/json'))).toBe(true);
    const healthSpan = collector.spans.find((s) => s.name === 'GET /healthz');
    expect(healthSpan).toBeDefined();
    expect(healthSpan!.traceId).toBe(traceId);
    expect(healthSpan!.parentSpanId).toBe('00f067aa0ba902b7');
    expect(attribute(healthSpan!, 'http.response.status_code')).toBe(200);
    // Named by the route pattern: no order id and no query string reach the collector.
    const orderSpan = collector.spans.find((s) => s.name === 'GET /api/orders/:id');
    expect(orderSpan && attribute(orderSpan, 'http.response.status_code')).toBe(404);
    expect(JSON.stringify(collector.spans)).not.toContain('secret-in-query');
    expect(JSON.stringify(collector.spans)).not.toContain('ord_does_not_exist');
    const jobSpan = collector.spans.find((s) => s.name === 'job test-traced');
    expect(jobSpan && attribute(jobSpan, 'messaging.destination.name')).toBe('test-traced');
  }, 60_000);
});
