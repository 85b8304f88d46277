// Whitening rescales the batch's advantages to zero mean and unit variance, so the step size
// of the policy update does not depend on the scale of the reward model.

import { requireLength, rowCount, type Rollouts } from "./batch.js";
import { tokenMoments } from "./stats.js";

/**
 * (x - mean) / sqrt(var + eps) with the mean and the unbiased variance taken over the masked
 * tokens of the kept rows of the whole batch; dropped rows get 0, and a batch with a single
 * counted token gets 0 where the reference divides by n - 1 = 0. The PPO implementation
 * detail of advantage normalisation (verl's `masked_whiten`), used by PURE's
 * `rloo |> whiten`. docs/algorithms.md §1 `whiten` and §0 step 6.
 */
export function whiten(values: Float32Array, r: Rollouts, eps = 1e-8): Float32Array {
  requireLength(values, r.mask.length, "token values");
  const { mean, variance } = tokenMoments(values, r);
  const invStd = 1 / Math.sqrt(variance + eps);
  const out = new Float32Array(values.length);
  const { kept, tokenOffsets } = r;
  const n = rowCount(r);
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const end = tokenOffsets[i + 1] ?? 0;
    for (let t = tokenOffsets[i] ?? 0; t < end; t++) out[t] = ((values[t] ?? 0) - mean) * invStd;
  }
  return out;
}
