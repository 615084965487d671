import type { ZodError } from 'zod';

/** A group of rows that cannot be read as an order or product: where it starts and why. */
export interface CsvRejection {
  ok: false;
  line: number;
  reason: string;
}

/** Every issue of a failed parse as "field: message", joined. */
export function describeIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(row)'}: ${i.message}`).join('; ');
}

/** A decimal cell as a number; undefined when blank, NaN when it is not a number. */
export function decimalCell(value: string): number | undefined {
  if (value === '') return undefined;
  const n = Number(value.replace(/,/g, ''));
  return n;
}
