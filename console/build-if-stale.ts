import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONSOLE_DIST } from '../src/console/console-dist-dir.js';

const CONSOLE_DIR = fileURLToPath(new URL('.', import.meta.url));
const BUILT_MARKER = join(CONSOLE_DIST, 'index.html');

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const ms = entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs;
    if (ms > newest) newest = ms;
  }
  return newest;
}

/** True when dist/console is missing or older than any file of the console's sources. */
export function consoleBuildIsStale(): boolean {
  if (!existsSync(BUILT_MARKER)) return true;
  return newestSourceMs(CONSOLE_DIR) > statSync(BUILT_MARKER).mtimeMs;
}

/** Builds the console with Vite when its build is missing or stale; says what it did. */
export async function buildConsoleIfStale(log: (line: string) => void = (l) => console.log(l)): Promise<boolean> {
  if (!consoleBuildIsStale()) return false;
  const { build } = await import('vite');
  const started = Date.now();
  await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts') });
  log(`orderops: console built into ${CONSOLE_DIST} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildConsoleIfStale();
}
