import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/test-db.js';
import { HashingEmbeddings } from './hashing-embeddings.js';
import { ingestKnowledgeBase, splitMarkdown } from './ingest-knowledge-base.js';
import { searchKnowledgeBase } from './search-knowledge-base.js';
import { pgvectorAvailable } from './vector-support.js';

it('splits markdown into passages that keep their section heading', async () => {
  const passages = await splitMarkdown('x.md', '# Shipping\n\n## Tracking\nEvery parcel has a number.\n\n## Lost parcels\nWe open a trace.\n');
  expect(passages).toEqual([
    { source: 'x.md', heading: 'Shipping: Tracking', content: 'Every parcel has a number.' },
    { source: 'x.md', heading: 'Shipping: Lost parcels', content: 'We open a trace.' },
  ]);
});

describeEachDb('knowledge base', (ctx) => {
  const embeddings = new HashingEmbeddings();
  const logs: string[] = [];
  let vectors = false;

  beforeAll(async () => {
    vectors = await pgvectorAvailable(ctx.db);
    const result = await ingestKnowledgeBase(ctx.db, { embeddings, log: (m) => logs.push(m) });
    expect(result.passages).toBeGreaterThan(10);
    expect(result.vectors).toBe(vectors);
  });

  it('finds the warranty passage and cites its source; vectors where pgvector exists, full-text (logged) where not', async () => {
    const found = await searchKnowledgeBase(ctx.db, 'how long is the warranty on a lamp', { embeddings, log: (m) => logs.push(m) });
    expect(found.method).toBe(vectors ? 'vector' : 'full_text');
    if (!vectors) expect(logs.some((l) => /no pgvector/.test(l))).toBe(true);
    expect(found.passages[0]?.source).toBe('warranty.md');
    expect(found.passages[0]?.heading).toMatch(/^Warranty: /);
  });

  it('full-text search finds shipping times by region without embeddings', async () => {
    const found = await searchKnowledgeBase(ctx.db, 'shipping times west coast region', {});
    expect(found.method).toBe('full_text');
    expect(found.passages.map((p) => p.heading)).toContain('Shipping: Shipping times by region');
  });
});
