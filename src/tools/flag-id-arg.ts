import { z } from 'zod';

/** Flag ids as people type them: 42, "42" or "#42". */
export const flagIdArg = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(String(v).trim().replace(/^#/, ''));
    if (!Number.isSafeInteger(n) || n <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a flag id (a positive whole number)` });
      return z.NEVER;
    }
    return n;
  })
  .describe('The flag id, a number such as 42 (as list_flags shows it).');
