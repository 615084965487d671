import type { Config } from '../../config/config.js';
import { ApiEmbeddings } from './api-embeddings.js';
import type { Embeddings } from './embeddings.js';
import { HashingEmbeddings } from './hashing-embeddings.js';

/** The configured embedder: the API one when EMBEDDINGS_API_URL and a key are set, else the offline hashing one. */
export function openEmbeddings(config: Pick<Config, 'EMBEDDINGS_API_URL' | 'EMBEDDINGS_API_KEY' | 'EMBEDDINGS_MODEL' | 'EMBEDDINGS_DIMENSIONS'>): Embeddings {
  if (config.EMBEDDINGS_API_URL && config.EMBEDDINGS_API_KEY) {
    return new ApiEmbeddings({
      baseUrl: config.EMBEDDINGS_API_URL,
      apiKey: config.EMBEDDINGS_API_KEY,
      model: config.EMBEDDINGS_MODEL,
      dimensions: config.EMBEDDINGS_DIMENSIONS,
    });
  }
  return new HashingEmbeddings();
}
