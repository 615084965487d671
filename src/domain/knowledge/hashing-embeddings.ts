import { createHash } from 'node:crypto';
import type { Embeddings } from './embeddings.js';

/**
 * The offline default: feature hashing of word unigrams and bigrams (stemmed by cutting common
 * endings) into a fixed-size, L2-normalised vector. It needs no network and no model; it is a
 * lexical similarity, not a semantic one, so it finds passages that share words with the query
 * and misses paraphrases. Configure an API embedder for real semantic search.
 */
export class HashingEmbeddings implements Embeddings {
  readonly name: string;
  constructor(readonly dimensions = 256) {
    this.name = `hashing-${dimensions}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  private embed(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const tokens = (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((w) => w.replace(/(ing|ed|es|s)$/, '')).filter((w) => w.length > 1);
    const features = [...tokens, ...tokens.slice(1).map((w, i) => `${tokens[i]}_${w}`)];
    for (const f of features) {
      const h = createHash('md5').update(f).digest();
      const index = h.readUInt32LE(0) % this.dimensions;
      vector[index]! += h[4]! & 1 ? 1 : -1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((v) => v / norm);
  }
}
