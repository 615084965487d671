import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ApiOperation } from '../api-operation.js';
import { renderApiReferencePage } from '../api-reference-page.js';
import { openApiDocument } from '../openapi-document.js';
import type { RoutePlugin } from '../route-plugin.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export const apiDocsOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/openapi.json',
    tag: 'reference',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.object({ openapi: z.string() }).loose() } },
  },
  { method: 'GET', path: '/api/docs', tag: 'reference', summary: 'The same document as a page', responses: { 200: { description: 'HTML' } } },
];

/**
 * `GET /api/openapi.json` and `GET /api/docs` (the document as a static page: no scripts, no
 * assets from elsewhere). Behind API_TOKEN like the dashboard, until people sign in with
 * sessions. Built once: the operations are fixed when the server starts.
 */
export function apiDocsRoutes(operations: () => readonly ApiOperation[]): RoutePlugin {
  return (app) => {
    let built: { doc: ReturnType<typeof openApiDocument>; page: string } | undefined;
    const docs = () => {
      if (!built) {
        const doc = openApiDocument([...operations(), ...apiDocsOperations], { version });
        built = { doc, page: renderApiReferencePage(doc) };
      }
      return built;
    };

    app.get('/api/openapi.json', async () => docs().doc);

    app.get('/api/docs', async (_request, reply) =>
      reply
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .type('text/html; charset=utf-8')
        .send(docs().page),
    );
  };
}
