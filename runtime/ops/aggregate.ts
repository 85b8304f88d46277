// How per-token loss terms become one scalar. The choice changes how much a long response
// weighs against a short one, which is why the recipe names it (`aggregate = ...`).

import { requireLength, rowCount, type Rollouts } from "./batch.js";

export type Aggregation =
  | { readonly mode: "token_mean" | "seq_mean_token_mean" | "seq_mean_token_sum" }
  | {
      readonly mode: "seq_mean_token_sum_norm";
      /** The configured max response length T_max (`max_tokens`), a constant of the stage. */
      readonly maxTokens: number;
    };

/**
 * Aggregates a per-token term over the masked tokens of the kept rows (dropped rows have left
 * the step). `token_mean` = sum(m L) / sum(m) (DAPO's token-level loss, Yu et al. 2025, §3.3);
 * `seq_mean_token_mean` = mean over sequences of per-sequence token means (GRPO, Shao et al.
 * 2024, "DeepSeekMath", eq. 3); `seq_mean_token_sum` = mean over sequences of per-sequence
 * sums; `seq_mean_token_sum_norm` = sum(m L) / (rows * T_max) (Dr. GRPO, Liu et al. 2025,
 * "Understanding R1-Zero-Like Training", §3.1). ALGORITHMS.md §1 "Aggregation".
 *
 * Choices: the sequence means skip a row with no masked token (its token mean is undefined);
 * `rows` counts the kept rows, the rows that are in the step; T_max is the configured length,
 * not the padded width the reference (verl) divides by, which varies between micro-batches.
 * A batch with nothing to average gives 0 rather than NaN.
 */
export function aggregate(values: Float32Array, r: Rollouts, agg: Aggregation): number {
  requireLength(values, r.mask.length, "token values");
  const n = rowCount(r);
  let total = 0;
  let tokens = 0;
  let rows = 0;
  let sequences = 0;
  let sumOfTokenMeans = 0;
  for (let i = 0; i < n; i++) {
    if (!r.kept[i]) continue;
    rows++;
    let sum = 0;
    let count = 0;
    for (let t = r.tokenOffsets[i]; t < r.tokenOffsets[i + 1]; t++) {
      if (r.mask[t]) {
        sum += values[t];
        count++;
      }
    }
    total += sum;
    tokens += count;
    if (count > 0) {
      sequences++;
      sumOfTokenMeans += sum / count;
    }
  }
  switch (agg.mode) {
    case "token_mean":
      return tokens > 0 ? total / tokens : 0;
    case "seq_mean_token_mean":
      return sequences > 0 ? sumOfTokenMeans / sequences : 0;
    case "seq_mean_token_sum":
      return sequences > 0 ? total / sequences : 0;
    case "seq_mean_token_sum_norm":
      if (!(agg.maxTokens > 0)) {
        throw new Error(`seq_mean_token_sum_norm needs the configured max_tokens > 0, got ${agg.maxTokens}`);
      }
      return rows > 0 ? total / (rows * agg.maxTokens) : 0;
  }
}
