import { z } from 'zod';
import type { ApiOperation } from './api-operation.js';
import { isPublicRoute } from './public-routes.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12, which OpenAPI 3.1 uses as it is. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Refinements and transforms have no JSON Schema form; the document shows the shape around them.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const openApiPath = (pattern: string) => pattern.replace(/:([A-Za-z_]\w*)/g, '{$1}');

function parameters(op: ApiOperation) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [['path', op.params], ['query', op.query]] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input');
    const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((object.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: where,
        required: where === 'path' || (required.has(name) && !('default' in property)),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

function operationObject(op: ApiOperation) {
  const params = parameters(op);
  return {
    operationId: `${op.method.toLowerCase()}${op.path.replace(/[/:{}-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [
        status,
        { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } } : {}) },
      ]),
    ),
    ...(isPublicRoute(op.method, op.path) ? { security: [] } : {}),
  };
}

/**
 * The OpenAPI 3.1 document of the given endpoints, generated from the zod schemas their handlers
 * parse requests with and answer in.
 */
export function openApiDocument(operations: readonly ApiOperation[], info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = (paths[openApiPath(op.path)] ??= {});
    path[op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'orderops API',
      version: info.version,
      description:
        'Orders, stock, approvals and anomaly flags. Lists answer `{ "items": [...], "next_cursor": ... }`: pass next_cursor back as ?cursor= ' +
        'for the next page. Errors answer `{ "error", "code", "issues" }`, where issues name the fields at fault.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' } } },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
