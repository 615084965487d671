import type { Db } from '../../db/db.js';
import type { Embeddings } from './embeddings.js';
import { hasVectorStore } from './vector-support.js';

export interface KnowledgePassage {
  source: string;
  heading: string;
  content: string;
  score: number;
}

export interface KnowledgeSearchResult {
  method: 'vector' | 'full_text';
  passages: KnowledgePassage[];
}

/**
 * Best-matching passages of the store's policies and FAQ. Uses vector similarity where the
 * database has pgvector and the passages were embedded; otherwise Postgres full-text search.
 */
export async function searchKnowledgeBase(
  db: Db,
  query: string,
  options: { limit?: number; embeddings?: Embeddings; log?: (msg: string) => void } = {},
): Promise<KnowledgeSearchResult> {
  const limit = options.limit ?? 3;
  if (options.embeddings && (await hasVectorStore(db))) {
    const vector = await options.embeddings.embedQuery(query);
    const { rows } = await db.query<{ source: string; heading: string; content: string; distance: number }>(
      `SELECT p.source, p.heading, p.content, (v.embedding <=> $1::vector) AS distance
         FROM kb_vectors v JOIN kb_passages p ON p.id = v.passage_id
        ORDER BY v.embedding <=> $1::vector LIMIT $2`,
      [`[${vector.join(',')}]`, limit],
    );
    if (rows.length > 0) {
      return {
        method: 'vector',
        passages: rows.map((r) => ({ source: r.source, heading: r.heading, content: r.content, score: 1 - Number(r.distance) })),
      };
    }
  } else if (options.embeddings) {
    options.log?.('knowledge base: no pgvector on this database, searching with full-text search');
  }
  return { method: 'full_text', passages: await fullTextSearch(db, query, limit) };
}

async function fullTextSearch(db: Db, query: string, limit: number): Promise<KnowledgePassage[]> {
  // OR the words so a question phrased differently from the policy still finds it; rank orders them.
  const words = query.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  if (words.length === 0) return [];
  const { rows } = await db.query<{ source: string; heading: string; content: string; rank: number }>(
    `WITH q AS (SELECT to_tsquery('english', $1) AS query)
     SELECT source, heading, content, ts_rank(tsv, q.query) AS rank
       FROM kb_passages, q WHERE q.query IS NOT NULL AND tsv @@ q.query
      ORDER BY rank DESC, id LIMIT $2`,
    [words.map((w) => `${w}:*`).join(' | '), limit],
  );
  return rows.map((r) => ({ source: r.source, heading: r.heading, content: r.content, score: Number(r.rank) }));
}
