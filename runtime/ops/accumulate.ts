// Moving rewards from where they sit (one per row, or one per step on the step's last token)
// onto every token, which is where the policy gradient needs them.

import { requireLength, rowCount, stepStart, type Rollouts } from "./batch.js";
import { spreadRows } from "./stats.js";

/**
 * Discounted return to go over steps: every token of step j gets
 * sum_{k >= j} gamma^(k - j) x_k, summed within the token's own response. This is the
 * sum-form credit assignment of PURE (Cheng et al. 2025, "Stop Summation: Min-Form Credit
 * Assignment Is All Process Reward Model Needs for Reasoning"), and with gamma = 1 the
 * process-supervision advantage of Shao et al. 2024, "DeepSeekMath", §4.1.3 (the sum of the
 * normalised rewards of the following steps). docs/algorithms.md §0 step 5 and §4 (sum-form).
 */
export function accumulateSteps(stepValues: Float32Array, r: Rollouts, gamma = 1): Float32Array {
  requireLength(stepValues, r.stepEnds.length, "step values");
  const out = new Float32Array(r.mask.length);
  const n = rowCount(r);
  for (let i = 0; i < n; i++) {
    let running = 0;
    const first = r.stepOffsets[i] ?? 0;
    for (let s = (r.stepOffsets[i + 1] ?? 0) - 1; s >= first; s--) {
      running = (stepValues[s] ?? 0) + gamma * running;
      out.fill(running, stepStart(r, s), (r.stepEnds[s] ?? 0) + 1);
    }
  }
  return out;
}

/**
 * One value per row copied to every token of the row: outcome credit, A_t = A_i.
 * Shao et al. 2024, "DeepSeekMath", §4.1.2. docs/algorithms.md §0 step 5 and §1.
 */
export function broadcastRows(rowValues: Float32Array, r: Rollouts): Float32Array {
  requireLength(rowValues, rowCount(r), "row values");
  return spreadRows(rowValues, r.tokenOffsets, r.mask.length);
}
