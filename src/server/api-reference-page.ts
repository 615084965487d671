import { escapeHtml } from './escape-html.js';
import type { OpenApiDocument } from './openapi-document.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;color:#1d2330;background:#f6f7f9;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin:1.8rem 0 .3rem;border-top:1px solid #d5d9e0;padding-top:1rem}
code,pre{font:12.5px/1.4 ui-monospace,monospace}pre{background:#fff;border:1px solid #d5d9e0;padding:.5rem;overflow:auto;max-height:24rem}
table{border-collapse:collapse;background:#fff;margin:.3rem 0}th,td{border:1px solid #d5d9e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
.m{display:inline-block;min-width:3.5rem;font-weight:600}.get{color:#1a5fb4}.post{color:#26a269}.put{color:#c64600}.delete{color:#c01c28}
nav a{display:block}details{margin:.2rem 0}
`;

type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> }[];
  requestBody?: { content: { 'application/json': { schema: unknown } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: unknown } } }>;
};

function schemaType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  const parts = [String(schema.type ?? 'any')];
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? ''}..${schema.maximum ?? ''}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

const pretty = (schema: unknown) => `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;

function operationSection(method: string, path: string, op: Operation): string {
  const params = op.parameters ?? [];
  const paramTable = params.length
    ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th><th>description</th></tr>${params
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${escapeHtml(schemaType(p.schema))}</td>` +
            `<td>${p.required ? 'yes' : 'no'}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const body = op.requestBody ? `<details><summary>Request body</summary>${pretty(op.requestBody.content['application/json'].schema)}</details>` : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) =>
      r.content
        ? `<details><summary><b>${escapeHtml(status)}</b> ${escapeHtml(r.description)}</summary>${pretty(r.content['application/json'].schema)}</details>`
        : `<p><b>${escapeHtml(status)}</b> ${escapeHtml(r.description)}</p>`,
    )
    .join('');
  return (
    `<section id="${escapeHtml(op.operationId)}"><h2><span class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h2>` +
    `<p>${escapeHtml(op.summary)}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}${paramTable}${body}${responses}</section>`
  );
}

/** The API reference as one static page: every path with its parameters and schemas, no scripts, nothing fetched. */
export function renderApiReferencePage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })),
  );
  const nav = operations
    .map(({ path, method, op }) => `<a href="#${escapeHtml(op.operationId)}"><span class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> ${escapeHtml(path)}</a>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)} reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</h1>
<p>${escapeHtml(doc.info.description)} Every route needs <code>Authorization: Bearer &lt;API_TOKEN&gt;</code> when API_TOKEN is set.
The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
<nav>${nav}</nav>
${operations.map(({ path, method, op }) => operationSection(method, path, op)).join('\n')}
</body></html>`;
}
