// GRPO's group normalisation: a response is scored against the other responses to the same
// prompt, (x - mean_g) / (std_g + eps).
//
// Deliberate deviation: a group with one kept row gets A = 0 and counts as a warning. The
// reference (verl) gives it mean 0 and std 1, i.e. A = s_i: an unnormalised raw reward that
// the policy would chase although nothing was compared.

import { requireGroups, requireLength, type Rollouts } from "./batch.js";
import { countSingletons, type RowBaseline } from "./baseline.js";
import { groupMoments, oneValuePerRow, type GroupMoments } from "./stats.js";

export interface GroupNormOptions {
  /** false: Dr. GRPO, x - mean_g without the division. */
  readonly std: boolean;
  readonly eps: number;
}

/**
 * Group-normalisation baseline from one value per row (outcome s_i, or a strict min-form
 * return at the first token): shift = mean_g, scale = std_g + eps over the group's kept rows.
 * GRPO, Shao et al. 2024, "DeepSeekMath", §4.1.2 (outcome supervision); std = false is
 * Dr. GRPO, Liu et al. 2025, "Understanding R1-Zero-Like Training", §3.1. docs/algorithms.md §1.
 */
export function groupNormBaseline(values: Float32Array, groupSize: number, kept: Uint8Array, options: GroupNormOptions): RowBaseline {
  requireGroups(values, groupSize, kept);
  return fromMoments(groupMoments(values, oneValuePerRow(values.length), groupSize, kept), groupSize, kept, options);
}

/**
 * Group-normalisation baseline for step rewards: mean and unbiased std over all step rewards
 * of all kept responses of the group, r'_ik = (r_ik - mu_g) / (sigma_g + eps). Shao et al.
 * 2024, "DeepSeekMath", §4.1.3 (process supervision). docs/algorithms.md §0 step 4.
 */
export function groupNormStepBaseline(stepRewards: Float32Array, r: Rollouts, options: GroupNormOptions): RowBaseline {
  requireLength(stepRewards, r.stepEnds.length, "step rewards");
  return fromMoments(groupMoments(stepRewards, r.stepOffsets, r.groupSize, r.kept), r.groupSize, r.kept, options);
}

function fromMoments(m: GroupMoments, groupSize: number, kept: Uint8Array, options: GroupNormOptions): RowBaseline {
  const n = kept.length;
  const shift = new Float64Array(n);
  const invScale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / groupSize);
    if (!kept[i] || (m.keptRows[g] ?? 0) < 2) continue;
    shift[i] = m.mean[g] ?? 0;
    // All-equal values give std 0 and x - mean exactly 0, so A = 0 without a special case.
    invScale[i] = options.std ? 1 / ((m.std[g] ?? 0) + options.eps) : 1;
  }
  return { shift, invScale, singletonGroups: countSingletons(m.keptRows) };
}
