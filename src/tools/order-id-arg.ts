import { z } from 'zod';

/**
 * Order ids as people type them: "#W1234567", "W1234567" or "1234567" all mean the stored
 * "#W1234567". Other formats pass through unchanged.
 */
export function normalizeOrderId(raw: string): string {
  const id = raw.trim();
  const m = /^#?W?(\d{7})$/i.exec(id);
  return m ? `#W${m[1]}` : id;
}

export const orderIdArg = z
  .string()
  .min(1)
  .transform(normalizeOrderId)
  .describe('The order id, for example "#W1234567" (the leading "#" may be left out).');
