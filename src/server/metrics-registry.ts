import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/db.js';
import type { CircuitBreakers } from '../connectors/circuit-breakers.js';
import type { CircuitState } from '../connectors/circuit-breaker.js';
import type { JobObserver } from '../jobs/job-observer.js';
import { registerOperationsGauges, type OperationsGaugeOptions } from './operations-gauges.js';

/** One answered HTTP request, labelled by the route pattern the router matched. */
export interface RequestObservation {
  method: string;
  /** The registered pattern (`/api/orders/:id`), never the URL as sent, so the label set stays small. */
  route: string;
  statusCode: number;
  seconds: number;
}

/**
 * The Prometheus metrics of one running orderops: the HTTP and job timings this process records,
 * the operations gauges read from the database at scrape time, and the process's own metrics.
 */
export interface MetricsRegistry {
  /** Every metric in Prometheus's text exposition format, the gauges read now. */
  scrape(): Promise<string>;
  /** The content type of `scrape()`'s text. */
  readonly contentType: string;
  /** Called once per answered request (see installRequestMetrics). */
  observeRequest(request: RequestObservation): void;
  /** Hears every job handler run (the job queue and the outbox dispatcher). */
  readonly jobs: JobObserver;
  /** Reports each outside service's circuit as `orderops_circuit_state` (0 closed, 1 half-open, 2 open). */
  watchCircuits(breakers: Pick<CircuitBreakers, 'states'>): void;
}

export interface MetricsRegistryOptions extends OperationsGaugeOptions {
  db: Db;
}

const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function createMetricsRegistry(options: MetricsRegistryOptions): MetricsRegistry {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Histogram({
    name: 'orderops_http_request_duration_seconds',
    help: 'HTTP requests answered, by method, matched route pattern and status class',
    labelNames: ['method', 'route', 'status_class'],
    registers,
  });
  const jobRuns = new Histogram({
    name: 'orderops_job_duration_seconds',
    help: 'Job handler runs (one per attempt), by queue and job',
    labelNames: ['queue', 'job'],
    buckets: JOB_BUCKETS,
    registers,
  });
  const jobFailures = new Counter({
    name: 'orderops_job_failures_total',
    help: 'Job handler runs that threw (each retry counts), by queue and job',
    labelNames: ['queue', 'job'],
    registers,
  });
  registerOperationsGauges(registry, options.db, options);
  const circuits: Pick<CircuitBreakers, 'states'>[] = [];
  new Gauge({
    name: 'orderops_circuit_state',
    help: "Each outside service's circuit breaker in this process: 0 closed, 1 half-open (one trial call), 2 open (calls fail fast)",
    labelNames: ['service'],
    registers,
    collect() {
      this.reset();
      for (const c of circuits) for (const { service, state } of c.states()) this.set({ service }, CIRCUIT_VALUE[state]);
    },
  });
  const processMetrics = processRegistry();
  return {
    contentType: registry.contentType,
    scrape: () => Registry.merge([processMetrics, registry]).metrics(),
    observeRequest(r) {
      requests.observe({ method: r.method, route: r.route, status_class: `${Math.floor(r.statusCode / 100)}xx` }, r.seconds);
    },
    watchCircuits(breakers) {
      circuits.push(breakers);
    },
    jobs: {
      ran(run) {
        jobRuns.observe({ queue: run.queue, job: run.job }, run.seconds);
        if (run.failed) jobFailures.inc({ queue: run.queue, job: run.job });
      },
    },
  };
}

let shared: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event-loop lag, GC) belong to the process, not to one
 * server: collected once into one registry that every server's scrape includes, since each
 * collection starts its own event-loop and GC observers.
 */
function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
