/**
 * The contract every reward source implements (a verifier, a user's JS function, an ONNX
 * reward model): score a batch of responses. A source never throws for a bad response: what
 * went wrong is reported per sample, so one failing sample never loses the batch or the run.
 */
import type { RewardSource as PlanRewardSource } from "../../plan/plan.js";

/** One response to score, with what verifiers and models need to see of its example. */
export interface ScoringSample {
  prompt: string;
  /** The dataset's answer, for verifiers that compare against it. */
  answer: string | null;
  response: string;
  /** Token ids of the response, when the caller has them (reward models score tokens). */
  tokens: readonly number[] | null;
  /** Index of each step's last token (docs/algorithms.md "Notation": steps end at the separator or the end). */
  stepEnds: readonly number[];
}

/** A sample the source could not score, and why (a user function threw, timed out, ...). */
export interface ScoringFailure {
  sample: number;
  reason: string;
}

export interface ScoreResult {
  /** Per sample: one value for an outcome source, one per step for a process source, one per token for a token source. */
  values: Float32Array[];
  failures: ScoringFailure[];
}

export interface RewardScorer {
  readonly source: PlanRewardSource;
  score(samples: readonly ScoringSample[]): Promise<ScoreResult>;
  /** Releases workers and sessions; a scorer is unusable afterwards. */
  close(): Promise<void>;
}
