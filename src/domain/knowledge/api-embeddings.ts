import type { Embeddings } from './embeddings.js';

/**
 * Embeddings from an HTTP API that speaks the widely used `POST {base}/embeddings` shape
 * (`{model, input: string[]}` → `{data: [{embedding: number[]}]}`), for example Voyage or an
 * OpenAI-compatible gateway. Configured with EMBEDDINGS_API_URL, EMBEDDINGS_API_KEY and EMBEDDINGS_MODEL.
 */
export class ApiEmbeddings implements Embeddings {
  readonly name: string;
  constructor(
    private readonly options: { baseUrl: string; apiKey: string; model: string; dimensions: number },
  ) {
    this.name = `api:${options.model}`;
  }

  get dimensions(): number {
    return this.options.dimensions;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}` },
      body: JSON.stringify({ model: this.options.model, input: texts }),
    });
    if (!response.ok) throw new Error(`embeddings API answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const body = (await response.json()) as { data: { embedding: number[] }[] };
    return body.data.map((d) => d.embedding);
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0]!;
  }
}
