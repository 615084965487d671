import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { evalCaseSchema, type EvalCase, type Suite } from './eval-case.js';

const SUITES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'suites');

/** The cases of evals/suites/<suite>.yaml (or `<dir>/<suite>.yaml`), validated; a bad case names its index and field. */
export function loadSuite(suite: Suite, dir = SUITES_DIR): EvalCase[] {
  const raw = parse(readFileSync(join(dir, `${suite}.yaml`), 'utf8')) as unknown[];
  const ids = new Set<string>();
  return raw.map((item, i) => {
    const parsed = evalCaseSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${suite}.yaml case ${i}: ${issue.path.join('.')}: ${issue.message}`);
    }
    if (ids.has(parsed.data.id)) throw new Error(`${suite}.yaml: duplicate case id ${parsed.data.id}`);
    ids.add(parsed.data.id);
    if (parsed.data.persona === 'customer' && !parsed.data.customer) throw new Error(`${suite}.yaml case ${parsed.data.id}: customer persona needs customer`);
    return parsed.data;
  });
}
