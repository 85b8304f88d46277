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

/** The aggregation of `mode`; `maxTokens` (the stage's `max_tokens`) is what the norm mode divides by. */
export function aggregationOf(mode: Aggregation["mode"], maxTokens: number): Aggregation {
  return mode === "seq_mean_token_sum_norm" ? { mode, maxTokens } : { mode };
}

/**
 * Aggregates a per-token term over the masked tokens of the kept rows (dropped rows have left
 * the step). `token_mean` = sum(m L) / sum(m) (DAPO's token-level loss, Yu et al. 2025, §3.3);
 * `seq_mean_token_mean` = mean over sequences of per-sequence token means (GRPO, Shao et al.
 * 2024, "DeepSeekMath", eq. 3); `seq_mean_token_sum` = mean over sequences of per-sequence
 * sums; `seq_mean_token_sum_norm` = sum(m L) / (rows * T_max) (Dr. GRPO, Liu et al. 2025,
 * "Understanding R1-Zero-Like Training", §3.1). docs/algorithms.md §1 "Aggregation".
 *
 * Choices: the sequence means skip a row with no masked token (its token mean is undefined);
 * `rows` counts the kept rows, the rows that are in the step; T_max is the configured length,
 * not the padded width the reference (verl) divides by, which varies between micro-batches.
 * A batch with nothing to average gives 0 rather than NaN.
 */
export function aggregate(values: Float32Array, r: Rollouts, agg: Aggregation): number {
  requireLength(values, r.mask.length, "token values");
  const coefficients = rowCoefficients(r, agg);
  let total = 0;
  for (let i = 0; i < coefficients.length; i++) {
    const c = coefficients[i] ?? 0;
    if (c === 0) continue;
    let sum = 0;
    const end = r.tokenOffsets[i + 1] ?? 0;
    for (let t = r.tokenOffsets[i] ?? 0; t < end; t++) if (r.mask[t]) sum += values[t] ?? 0;
    total += c * sum;
  }
  return total;
}

/**
 * The per-token weights w of the same aggregation, so that aggregate(L) = sum_t w_t L_t: what
 * the training engine multiplies its per-token loss tensor by, so the mode is defined once.
 * 0 on masked tokens and dropped rows.
 */
export function aggregationWeights(r: Rollouts, agg: Aggregation): Float32Array {
  const coefficients = rowCoefficients(r, agg);
  const weights = new Float32Array(r.mask.length);
  for (let i = 0; i < coefficients.length; i++) {
    const c = coefficients[i] ?? 0;
    const end = r.tokenOffsets[i + 1] ?? 0;
    for (let t = r.tokenOffsets[i] ?? 0; t < end; t++) if (r.mask[t]) weights[t] = c;
  }
  return weights;
}

/**
 * Every mode is sum_i c_i sum_t m_t L_t over the kept rows; c_i per row: 1 / tokens
 * (token_mean), 1 / (tokens_i sequences) (seq_mean_token_mean), 1 / sequences
 * (seq_mean_token_sum), 1 / (rows T_max) (seq_mean_token_sum_norm). 0 for a row that does not
 * count.
 */
function rowCoefficients(r: Rollouts, agg: Aggregation): Float64Array {
  const n = rowCount(r);
  const counts = new Int32Array(n);
  let tokens = 0;
  let rows = 0;
  let sequences = 0;
  for (let i = 0; i < n; i++) {
    if (!r.kept[i]) continue;
    rows++;
    let count = 0;
    const end = r.tokenOffsets[i + 1] ?? 0;
    for (let t = r.tokenOffsets[i] ?? 0; t < end; t++) count += r.mask[t] ?? 0;
    counts[i] = count;
    tokens += count;
    if (count > 0) sequences++;
  }
  if (agg.mode === "seq_mean_token_sum_norm" && !(agg.maxTokens > 0)) {
    throw new Error(`seq_mean_token_sum_norm needs the configured max_tokens > 0, got ${agg.maxTokens}`);
  }
  const coefficients = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const count = counts[i] ?? 0;
    if (!r.kept[i] || count === 0) continue;
    switch (agg.mode) {
      case "token_mean":
        coefficients[i] = 1 / tokens;
        break;
      case "seq_mean_token_mean":
        coefficients[i] = 1 / (count * sequences);
        break;
      case "seq_mean_token_sum":
        coefficients[i] = 1 / sequences;
        break;
      case "seq_mean_token_sum_norm":
        coefficients[i] = 1 / (rows * agg.maxTokens);
        break;
    }
  }
  return coefficients;
}
