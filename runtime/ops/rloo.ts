// REINFORCE leave-one-out: each response's baseline is the mean of the other responses of its
// group, so the baseline is independent of the response it judges.
//
// Deliberate deviation: a row alone in its group (no other kept row) gets A = 0 and counts as
// a warning; the reference (verl) leaves it at its raw score.

import { requireGroups, requireLength, type Rollouts } from "./batch.js";
import { countSingletons, type RowBaseline } from "./baseline.js";
import { groupMoments, oneValuePerRow, rowSums } from "./stats.js";

/**
 * Leave-one-out baseline from one value per row: shift_i = mean over kept j != i of x_j.
 * Ahmadian et al. 2024, "Back to Basics: Revisiting REINFORCE Style Optimization for Learning
 * from Human Feedback in LLMs", the RLOO estimator (after Kool et al. 2019, "Buy 4 REINFORCE
 * Samples, Get a Baseline for Free!"). docs/algorithms.md §1 `rloo`.
 */
export function rlooBaseline(values: Float32Array, groupSize: number, kept: Uint8Array): RowBaseline {
  requireGroups(values, groupSize, kept);
  const n = values.length;
  const m = groupMoments(values, oneValuePerRow(n), groupSize, kept);
  const shift = new Float64Array(n);
  const invScale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / groupSize);
    const count = m.keptRows[g] ?? 0;
    if (!kept[i] || count < 2) continue;
    // mean_{j != i} x_j = (count * mean - x_i) / (count - 1), written so that equal values
    // give a shift of exactly x_i (A = 0) instead of a rounding residue.
    const mean = m.mean[g] ?? 0;
    shift[i] = mean + (mean - (values[i] ?? 0)) / (count - 1);
    invScale[i] = 1;
  }
  return { shift, invScale, singletonGroups: countSingletons(m.keptRows) };
}

/**
 * PURE's leave-one-out baseline for step rewards: r'_ik = r_ik - b_i with b_i = mean over
 * kept j != i of o_j / K_j, o_j = sum_k r_jk (the other responses' mean step reward). An
 * empty response (K_j = 0) earned nothing and counts as 0. Cheng et al. 2025, "Stop
 * Summation: Min-Form Credit Assignment Is All Process Reward Model Needs for Reasoning"
 * (PURE), its RLOO advantage for process rewards. docs/algorithms.md §0 step 4 and §4.
 */
export function rlooStepBaseline(stepRewards: Float32Array, r: Rollouts): RowBaseline {
  requireLength(stepRewards, r.stepEnds.length, "step rewards");
  const sums = rowSums(stepRewards, r.stepOffsets);
  const meanStep = new Float32Array(sums.length);
  for (let i = 0; i < sums.length; i++) {
    const steps = (r.stepOffsets[i + 1] ?? 0) - (r.stepOffsets[i] ?? 0);
    meanStep[i] = steps > 0 ? (sums[i] ?? 0) / steps : 0;
  }
  return rlooBaseline(meanStep, r.groupSize, r.kept);
}
