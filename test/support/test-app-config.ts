import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.js';

/** The config of a service started in a test: quiet, on free ports, no demo data, its own data dir; `env` on top. */
export function testAppConfig(name: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    SMTP_PORT: '0',
    SEED_DEMO: 'false',
    DATA_DIR: mkdtempSync(join(tmpdir(), `orderops-${name}-`)),
    ...env,
  });
}
