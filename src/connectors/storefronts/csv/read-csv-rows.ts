import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/**
 * One data row by header name, with its line number in the file (the header is line 1; a row
 * with a quoted line break is numbered by the line it ends on). The parser counts lines of a
 * CRLF file one high after the header.
 */
export interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

/**
 * Streams a CSV (RFC 4180, a byte-order mark tolerated) as rows keyed by header name, one at a
 * time, so a file of any size is read in constant memory. Header names are trimmed; a row with
 * fewer or more cells than the header is read as far as it goes.
 */
export async function* readCsvRows(input: Readable): AsyncGenerator<CsvRow> {
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: info.lines, fields: record };
  }
}

/** A row's cell by header name, trimmed; '' when the column is absent. */
export const cell = (row: CsvRow, name: string): string => (row.fields[name] ?? '').trim();
