/**
 * A timestamp column as an exact cursor value: whole microseconds since the epoch, as text. A JS
 * Date keeps milliseconds only, and a key that lost its microseconds would skip or repeat rows.
 */
export const timestampKeySql = (column: string): string => `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;

/** The SQL timestamp for a key made by timestampKeySql, from the parameter `$n` (text). */
export const timestampFromKeySql = (param: string): string => `('epoch'::timestamptz + ${param}::bigint * interval '1 microsecond')`;
