import type { Db } from '../db/db.js';

/**
 * Inserts many rows in few statements by sending them as one JSON document per chunk and
 * expanding it server-side with jsonb_to_recordset; `columns` maps each column to its SQL type.
 * Loaders (demo seed, imports) use it; request paths write row by row through domain services.
 */
export async function bulkInsert(
  tx: Db,
  table: string,
  columns: Record<string, string>,
  rows: Record<string, unknown>[],
  chunkSize = 4000,
): Promise<void> {
  const names = Object.keys(columns);
  const recordType = names.map((c) => `${c} ${columns[c]}`).join(', ');
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize);
    await tx.query(
      `INSERT INTO ${table} (${names.join(', ')})
       SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})`,
      [JSON.stringify(chunk)],
    );
  }
}
