/**
 * Logistic regression trained one example at a time (AdaGrad steps), so a detector can learn
 * from outcomes as they become known and never from the future.
 */
export class OnlineLogistic {
  readonly weights: number[];
  private readonly gradSq: number[];

  constructor(
    readonly features: number,
    private readonly learningRate = 0.1,
  ) {
    this.weights = new Array<number>(features).fill(0);
    this.gradSq = new Array<number>(features).fill(1e-6);
  }

  predict(x: readonly number[]): number {
    let z = 0;
    for (let i = 0; i < this.features; i++) z += this.weights[i]! * (x[i] ?? 0);
    return 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
  }

  learn(x: readonly number[], label: 0 | 1): void {
    const error = this.predict(x) - label;
    for (let i = 0; i < this.features; i++) {
      const g = error * (x[i] ?? 0);
      this.gradSq[i]! += g * g;
      this.weights[i]! -= (this.learningRate * g) / Math.sqrt(this.gradSq[i]!);
    }
  }
}
