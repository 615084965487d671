import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Db } from '../../db/db.js';
import type { Embeddings } from './embeddings.js';
import { pgvectorAvailable } from './vector-support.js';

export const KB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'kb');

export interface KbPassageInput {
  source: string;
  heading: string;
  content: string;
}

/**
 * Splits markdown into passages: one per `##` section (the heading is kept for citations), long
 * sections cut further by LangChain's recursive splitter on paragraph and sentence boundaries.
 */
export async function splitMarkdown(source: string, markdown: string, chunkSize = 900): Promise<KbPassageInput[]> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap: 100 });
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? source;
  const sections = markdown.split(/^##\s+/m).slice(1);
  const passages: KbPassageInput[] = [];
  for (const section of sections) {
    const newline = section.indexOf('\n');
    const heading = `${title}: ${section.slice(0, newline).trim()}`;
    const body = section.slice(newline + 1).trim();
    for (const chunk of await splitter.splitText(body)) passages.push({ source, heading, content: chunk });
  }
  return passages;
}

export interface IngestResult {
  passages: number;
  vectors: boolean;
}

/**
 * Loads every markdown file of `kb/` into kb_passages (replacing what was there). With
 * embeddings on a database that has pgvector, also stores one vector per passage in kb_vectors;
 * without pgvector, search falls back to full-text and this says so through `log`.
 */
export async function ingestKnowledgeBase(
  db: Db,
  options: { dir?: string; embeddings?: Embeddings; log?: (msg: string) => void } = {},
): Promise<IngestResult> {
  const dir = options.dir ?? KB_DIR;
  const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  const passages: KbPassageInput[] = [];
  for (const f of files) passages.push(...(await splitMarkdown(f, readFileSync(join(dir, f), 'utf8'))));
  let vectors = false;
  if (options.embeddings) {
    vectors = await pgvectorAvailable(db);
    if (!vectors) options.log?.('knowledge base: this database has no pgvector extension; search will use full-text search');
  }
  const embedded = vectors ? await options.embeddings!.embedDocuments(passages.map((p) => `${p.heading}\n${p.content}`)) : [];
  await db.transaction(async (tx) => {
    if (vectors) {
      await tx.exec('CREATE EXTENSION IF NOT EXISTS vector');
      await tx.exec(`CREATE TABLE IF NOT EXISTS kb_vectors (
        passage_id bigint PRIMARY KEY REFERENCES kb_passages(id) ON DELETE CASCADE,
        embedder text NOT NULL,
        embedding vector(${options.embeddings!.dimensions}) NOT NULL)`);
      await tx.exec('DELETE FROM kb_vectors');
    }
    await tx.exec('DELETE FROM kb_passages');
    for (const [i, p] of passages.entries()) {
      const position = passages.slice(0, i).filter((q) => q.source === p.source).length;
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO kb_passages (source, heading, position, content, content_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [p.source, p.heading, position, p.content, createHash('sha256').update(p.content).digest('hex')],
      );
      if (vectors) {
        await tx.query('INSERT INTO kb_vectors (passage_id, embedder, embedding) VALUES ($1, $2, $3::vector)', [
          rows[0]!.id,
          options.embeddings!.name,
          `[${embedded[i]!.join(',')}]`,
        ]);
      }
    }
  });
  return { passages: passages.length, vectors };
}

const ensured = new WeakSet<Db>();

/** Ingests `kb/` once when the database has no passages yet (a fresh install or test database). */
export async function ensureKnowledgeBase(db: Db, options: { embeddings?: Embeddings; log?: (msg: string) => void } = {}): Promise<void> {
  if (ensured.has(db)) return;
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_passages');
  if ((rows[0]?.n ?? 0) === 0) await ingestKnowledgeBase(db, options);
  ensured.add(db);
}
