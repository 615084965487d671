/**
 * The first requested id (in request order) that is asked for more times than the order holds
 * it, or null when every request can be met. Duplicates are allowed up to the count in the order.
 */
export function firstMissingItem(requested: readonly string[], present: readonly string[]): string | null {
  const held = new Map<string, number>();
  for (const id of present) held.set(id, (held.get(id) ?? 0) + 1);
  const asked = new Map<string, number>();
  for (const id of requested) asked.set(id, (asked.get(id) ?? 0) + 1);
  for (const id of requested) if ((asked.get(id) ?? 0) > (held.get(id) ?? 0)) return id;
  return null;
}

/** Item ids of an order, one entry per unit (a line of quantity 2 counts twice). */
export function orderItemIds(lines: readonly { variantId: string; quantity: number }[]): string[] {
  return lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.variantId));
}
