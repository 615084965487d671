import { z } from 'zod';

/** ErrorBody (error-handler.ts) as a schema, for the OpenAPI document. */
export const errorBodySchema = z.object({
  error: z.string().describe('A sentence for people.'),
  code: z.string().optional().describe('Stable, for programs.'),
  issues: z.array(z.object({ path: z.string().describe('The field or parameter at fault.'), message: z.string() })).optional(),
});
