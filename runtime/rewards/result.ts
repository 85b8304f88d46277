/**
 * Building a ScoreResult. A sample that could not be scored still gets values, NaN, as many as
 * it should have had: the per-sample arrays keep the shape the caller packs into its layout,
 * and a caller that forgot to look at `failures` meets a NaN (which the run reports) rather
 * than a misaligned row or a silent zero.
 */
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";
import type { ScoreResult, ScoringFailure, ScoringSample } from "./source.js";

export type Granularity = PlanRewardSource["granularity"];

/** How many values a sample takes: one for an outcome, one per step or one per token. */
export function expectedCount(granularity: Granularity, sample: ScoringSample): number {
  switch (granularity) {
    case "outcome":
      return 1;
    case "process":
      return sample.stepEnds.length;
    case "token":
      return sample.tokens?.length ?? 0;
  }
}

/** What to call the values a sample takes, for messages: "1 value", "3 steps", "5 tokens". */
export function describeCount(granularity: Granularity, count: number): string {
  const unit = granularity === "outcome" ? "value" : granularity === "process" ? "step" : "token";
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

export class ResultBuilder {
  private readonly values: Float32Array[];
  private readonly failures: ScoringFailure[] = [];

  constructor(
    private readonly granularity: Granularity,
    private readonly samples: readonly ScoringSample[],
  ) {
    this.values = samples.map((sample) => new Float32Array(expectedCount(granularity, sample)).fill(Number.NaN));
  }

  set(sample: number, values: ArrayLike<number>): void {
    this.values[sample] = Float32Array.from(values);
  }

  fail(sample: number, reason: string): void {
    const failed = this.samples[sample];
    if (failed === undefined) throw new Error(`scoring: there is no sample ${sample} to fail`);
    this.values[sample] = new Float32Array(expectedCount(this.granularity, failed)).fill(Number.NaN);
    this.failures.push({ sample, reason });
  }

  /** Failures in sample order. */
  result(): ScoreResult {
    return { values: this.values, failures: [...this.failures].sort((a, b) => a.sample - b.sample) };
  }
}

/** Every sample failed for the same reason (a bad pattern, a module or model that did not load). */
export function allFailed(granularity: Granularity, samples: readonly ScoringSample[], reason: string): ScoreResult {
  const result = new ResultBuilder(granularity, samples);
  for (let i = 0; i < samples.length; i++) result.fail(i, reason);
  return result.result();
}
