import { readFileSync } from 'node:fs';

/**
 * Reads a small CSV file (header row, comma separated, optional double quotes) into records
 * keyed by column name. Throws naming the file when a required column is missing.
 */
export function readCsvRecords(path: string, requiredColumns: readonly string[]): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const missing = requiredColumns.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`${path}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    const record: Record<string, string> = {};
    header.forEach((name, i) => (record[name] = cells[i] ?? ''));
    return record;
  });
}

export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
