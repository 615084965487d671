const NUL = '\u0000';
const MAX_PATHS = 20;

/**
 * The paths (`lines.0.sku`, `query.since`) of every string, and every object key, under `value`
 * that holds a NUL character, in document order, at most 20. PostgreSQL cannot store U+0000 in
 * text, so such input must be refused before it reaches a query. The walk keeps its own stack,
 * so a body nested thousands deep cannot overflow the call stack.
 */
export function nulCharacterPaths(value: unknown, prefix = ''): string[] {
  const out: string[] = [];
  const stack: { value: unknown; path: string; badKey?: boolean }[] = [{ value, path: prefix }];
  while (stack.length > 0 && out.length < MAX_PATHS) {
    const item = stack.pop()!;
    if (item.badKey) out.push(item.path);
    if (typeof item.value === 'string') {
      if (item.value.includes(NUL)) out.push(item.path || '(body)');
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const entries = Array.isArray(item.value) ? item.value.map((v, i) => [String(i), v] as const) : Object.entries(item.value);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i]!;
      const shown = key.replaceAll(NUL, '\\u0000');
      stack.push({ value: child, path: item.path ? `${item.path}.${shown}` : shown, badKey: shown !== key });
    }
  }
  return out;
}
