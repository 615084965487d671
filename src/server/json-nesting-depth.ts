/**
 * The path of the first value under `value` nested deeper than `max` arrays and objects, or null.
 * No order or webhook comes close; refusing deeper input keeps every recursive walk after it
 * (request hashes, schema checks) off the edge of the call stack. Iterative for the same reason.
 */
export function pathDeeperThan(value: unknown, max: number): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= max) return item.path || '(body)';
    const entries = Array.isArray(item.value) ? item.value.map((v, i) => [String(i), v] as const) : Object.entries(item.value);
    for (const [key, child] of entries) stack.push({ value: child, path: item.path ? `${item.path}.${key}` : key, depth: item.depth + 1 });
  }
  return null;
}
