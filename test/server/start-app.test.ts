import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { openTestDb } from '../support/test-db.js';

const repoRoot = join(import.meta.dirname, '../..');

describe('start-up', () => {
  let running: RunningApp | undefined;
  afterAll(async () => {
    await running?.stop();
    await running?.db.close();
  });

  it('migrates, seeds the demo store into an empty database, listens, and answers /healthz', async () => {
    const db = await openTestDb('pglite');
    const lines: string[] = [];
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'orderops-start-')),
      SEED_DEMO: 'true',
    });
    running = await startApp(config, { db, log: (l) => lines.push(l) });

    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'pglite', orders: 3000 });
    expect(lines.some((l) => l.startsWith('demo data loaded'))).toBe(true);
    expect(lines.some((l) => l.startsWith('model: offline'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Slack: off'))).toBe(true);

    await running.stop();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  }, 180_000);

  it('npm start refuses a bad setting, naming the variable, with exit code 1', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: 'mysql://x' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL');
  }, 70_000);
});
