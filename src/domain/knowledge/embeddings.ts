/** Turns text into vectors; the same instance must embed the passages and the queries. */
export interface Embeddings {
  readonly name: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}
