/**
 * The curves the terminal UI draws, in the order the arrow keys step through them: metrics.jsonl
 * fields (docs/algorithms.md §9) and the eval curves, which come from eval events.
 */
export interface MetricSpec {
  readonly key: string;
  readonly label: string;
  /** Shown as tokens per second rather than as a plain figure. */
  readonly rate?: boolean;
}

/**
 * The keys of the eval curves, from eval events: the accuracy at the eval's temperature, and the
 * greedy accuracy and pass@k of an eval that samples (docs/algorithms.md §10). Not metrics.jsonl
 * fields, so they cannot clash with one.
 */
export const EVAL_ACCURACY = "eval:accuracy";
export const EVAL_GREEDY = "eval:greedy";
export const EVAL_PASS_AT_K = "eval:pass_at_k";

/** Whether a curve is over evals rather than steps. */
export function isEvalCurve(key: string): boolean {
  return key.startsWith("eval:");
}

/** Never empty: the UI starts on the first. */
export const METRICS: readonly [MetricSpec, ...MetricSpec[]] = [
  { key: "reward", label: "reward" },
  { key: EVAL_ACCURACY, label: "eval acc" },
  { key: EVAL_GREEDY, label: "greedy" },
  { key: EVAL_PASS_AT_K, label: "pass@k" },
  { key: "kl", label: "kl" },
  { key: "entropy", label: "entropy" },
  { key: "keep_ratio", label: "keep" },
  // The share of groups without signal, and the rounds dynamic sampling spent replacing them
  // (docs/algorithms.md §1.10).
  { key: "zero_signal_frac", label: "0-signal" },
  { key: "refill_rounds", label: "refills" },
  { key: "chord_mu", label: "mu" },
  { key: "loss", label: "loss" },
  { key: "rollout_tok_s", label: "rollout", rate: true },
  { key: "train_tok_s", label: "train", rate: true },
];
