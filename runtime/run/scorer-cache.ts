/**
 * One scorer per reward source for the whole run: a user's js(...) function keeps its worker
 * and an onnx(...) model its session from step to step instead of starting them every step.
 */
import type { RewardSource } from "../../plan/plan.js";
import { createScorer } from "../rewards/create-scorer.js";
import type { RewardScorer } from "../rewards/source.js";

export class ScorerCache {
  private readonly scorers = new Map<string, RewardScorer>();

  /** `threads`: onnxruntime's threads for an onnx(...) reward model (its default when absent). */
  constructor(private readonly threads?: number) {}

  /** The source's scorer; its `close` is a no-op, since the cache owns it. */
  get(source: RewardSource): RewardScorer {
    let scorer = this.scorers.get(source.name);
    if (scorer === undefined) {
      scorer = createScorer(source, { onnx: { threads: this.threads } });
      this.scorers.set(source.name, scorer);
    }
    const shared = scorer;
    return { source, score: (samples) => shared.score(samples), close: async () => {} };
  }

  async close(): Promise<void> {
    await Promise.all([...this.scorers.values()].map((s) => s.close()));
    this.scorers.clear();
  }
}
