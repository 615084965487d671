import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { groupConsecutiveRows } from './group-consecutive-rows.js';
import { readCsvRows, type CsvRow } from './read-csv-rows.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readCsvRows', () => {
  it('reads a BOM, quoted commas, quotes and newlines, keyed by trimmed header, with the line each row ends on', async () => {
    const csv = '\uFEFFName , Notes\n#1,"a, ""b""\nc"\n\n#2,plain\n';
    // Chunks split mid-record, as a file stream delivers them.
    const rows = await all(readCsvRows(Readable.from([csv.slice(0, 17), csv.slice(17)])));
    expect(rows).toEqual([
      { line: 3, fields: { Name: '#1', Notes: 'a, "b"\nc' } },
      { line: 5, fields: { Name: '#2', Notes: 'plain' } },
    ]);
  });
});

describe('groupConsecutiveRows', () => {
  it('groups runs of the same key, one group at a time', async () => {
    async function* rows(): AsyncGenerator<CsvRow> {
      for (const [line, k] of [[2, 'a'], [3, 'a'], [4, 'b'], [5, 'a']] as const) yield { line, fields: { k } };
    }
    const groups = await all(groupConsecutiveRows(rows(), (r) => r.fields.k!));
    expect(groups.map((g) => g.map((r) => r.line))).toEqual([[2, 3], [4], [5]]);
  });
});
