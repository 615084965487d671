import type { z } from 'zod';

/**
 * One documented endpoint: the zod schemas its handler parses with and answers in, so the
 * OpenAPI document (GET /api/openapi.json) is generated from the code that runs, not kept beside it.
 */
export interface ApiOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The Fastify pattern, `/api/orders/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}
