/**
 * Replays every tau-retail ground-truth task (v1: test, train, dev; v2: tau2-bench tasks.json)
 * through the orderops domain services and compares steps and end states with the reference.
 * Run: npm run eval:tau-replay   (PGlite in memory, or DATABASE_URL; nothing is left behind:
 * the whole run is one transaction that is rolled back).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportTauRetailData } from '../../src/connectors/tau-retail/export-tau-retail.js';
import { importTauRetail } from '../../src/connectors/tau-retail/import-tau-retail.js';
import type { Db } from '../../src/db/db.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';
import { createPgliteDb, pgliteOf } from '../../src/db/pglite-db.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';
import { MissingDatasetError } from '../../test/support/shared-dataset.js';
import { firstDifference } from './money-deep-equal.js';
import { replayCase, type ReplayOutcome } from './replay-task.js';
import { loadPristine, loadV1Cases, loadV2Cases, TAU_RETAIL_ROOT, TAU_V1_DIR, tauDatasetPresent } from './tau-dataset.js';
import { V2_DIVERGENCES } from './v2-divergences.js';

class Rollback extends Error {}

/**
 * A fresh in-memory PGlite, started from a migrated data-directory dump kept in the temp dir
 * (keyed by the migrations' content): initdb costs seconds, loading a dump about one.
 */
async function openCachedPglite(): Promise<Db> {
  const key = createHash('sha256').update(JSON.stringify(listMigrations())).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `orderops-tau-replay-${key}.tar`);
  if (existsSync(path)) return createPgliteDb({ loadDataDir: new Blob([readFileSync(path)]) });
  const db = await createPgliteDb();
  await migrate(db);
  const dump = await pgliteOf(db).dumpDataDir('none');
  writeFileSync(`${path}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${path}.tmp`, path);
  return db;
}

async function main(): Promise<number> {
  if (!tauDatasetPresent()) {
    console.log(`tau-replay skipped: dataset not found under ${TAU_RETAIL_ROOT}`);
    console.log(JSON.stringify({ suite: 'tau-replay', skipped: true }));
    return 0;
  }
  const started = Date.now();
  const url = process.env.DATABASE_URL;
  const db: Db = url ? createPostgresDb(url) : await openCachedPglite();
  await migrate(db);
  console.log(`database: ${url ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const pristine = loadPristine();
  const v1Cases = loadV1Cases();
  const v2Cases = loadV2Cases();
  const listed = new Map(V2_DIVERGENCES.map((d) => [d.id, d.reason]));
  let exitCode = 0;
  let summary: Record<string, unknown> = {};

  try {
    await db.transaction(async (tx) => {
      const t0 = Date.now();
      const counts = await importTauRetail(tx, TAU_V1_DIR);
      console.log(`import: ${counts.customers} customers, ${counts.orders} orders, ${counts.variants} variants in ${Date.now() - t0} ms`);

      const exported = await exportTauRetailData(tx);
      let roundtrip = true;
      for (const file of ['users', 'orders', 'products'] as const) {
        const original = JSON.parse(readFileSync(resolve(TAU_V1_DIR, `${file}.json`), 'utf8'));
        const diff = firstDifference(original, exported[file]);
        if (diff) {
          roundtrip = false;
          console.log(`roundtrip ${file}.json: ${diff}`);
        }
      }
      console.log(`import then export deep-equals the original files: ${roundtrip}`);

      const t1 = Date.now();
      const v1Failures: { label: string; outcome: ReplayOutcome }[] = [];
      const perSplit: Record<string, [number, number]> = {};
      const floatEdges: string[] = [];
      for (const c of v1Cases) {
        const outcome = await replayCase(tx, c, pristine);
        floatEdges.push(...outcome.floatEdgeSteps);
        const s = (perSplit[c.split] ??= [0, 0]);
        s[1]++;
        if (outcome.matched) s[0]++;
        else v1Failures.push({ label: c.label, outcome });
      }
      const v1Matched = v1Cases.length - v1Failures.length;
      console.log(
        `v1: ${v1Matched}/${v1Cases.length} matched (${Object.entries(perSplit).map(([k, [m, n]]) => `${k} ${m}/${n}`).join(', ')}) in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
      );
      for (const f of v1Failures.slice(0, 20)) console.log(`  MISMATCH ${f.label}:\n    ${f.outcome.problems.slice(0, 4).join('\n    ')}`);
      console.log(
        `float edge (reference float "balance < diff" disagrees with exact cents): ${floatEdges.length} step(s)${floatEdges.length ? `: ${floatEdges.join('; ')}` : ''}`,
      );

      const t2 = Date.now();
      let v2Matched = 0;
      let v2Divergent = 0;
      const v2Unexpected: string[] = [];
      for (const c of v2Cases) {
        const outcome = await replayCase(tx, c, pristine);
        const reason = listed.get(c.id);
        if (outcome.matched) {
          v2Matched++;
          if (reason !== undefined) v2Unexpected.push(`task ${c.id} is listed as divergent (${reason}) but matches: remove it from v2-divergences.ts`);
        } else if (reason !== undefined) {
          v2Divergent++;
          console.log(`  v2 task ${c.id} diverges as listed in v2-divergences.ts: ${outcome.problems[0]}`);
        } else {
          v2Unexpected.push(`task ${c.id} does not match and is not listed:\n    ${outcome.problems.slice(0, 4).join('\n    ')}`);
        }
      }
      for (const id of listed.keys()) if (!v2Cases.some((c) => c.id === id)) v2Unexpected.push(`listed task ${id} is not in tasks.json`);
      console.log(`v2: ${v2Matched}/${v2Cases.length} matched, ${v2Divergent} diverge as listed, ${v2Unexpected.length} unexpected in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
      for (const u of v2Unexpected) console.log(`  UNEXPECTED ${u}`);

      if (v1Failures.length || v2Unexpected.length || !roundtrip) exitCode = 1;
      console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
      summary = {
        suite: 'tau-replay',
        v1_matched: v1Matched,
        v1_total: v1Cases.length,
        v2_matched: v2Matched,
        v2_total: v2Cases.length,
        v2_divergent: v2Divergent,
        roundtrip,
      };
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  } finally {
    await db.close();
  }
  console.log(JSON.stringify(summary));
  return exitCode;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof MissingDatasetError)) throw err;
  console.log(`tau-replay: ${err.message}`);
  process.exitCode = 1;
}
