import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config/config.js';
import type { JobObserver } from '../jobs/job-observer.js';

/** Traces of one process, sent to an OTLP/HTTP collector. */
export interface Tracing {
  tracer: Tracer;
  /** Records each job handler run as a span (beside the metrics). */
  jobs: JobObserver;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing otherwise. The SDK is
 * loaded only then, so a service without a collector neither pays for it nor depends on it; the
 * exporter sends in the background and drops what a collector that is down does not take.
 */
export async function startTracing(config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>): Promise<Tracing | null> {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return null;
  const [api, { NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), { scheduledDelayMillis: 1_000 })],
  });
  // Registers the W3C trace-context propagator and the async context manager as well.
  provider.register();
  const tracer = provider.getTracer('orderops');
  return {
    tracer,
    jobs: {
      ran(run) {
        const end = Date.now();
        const span = tracer.startSpan(`job ${run.job}`, {
          kind: api.SpanKind.CONSUMER,
          startTime: end - run.seconds * 1000,
          attributes: { 'messaging.destination.name': run.queue, 'orderops.job': run.job },
        });
        if (run.failed) span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.end(end);
      },
    },
    shutdown: () => provider.shutdown(),
  };
}
